// A stand-in for Plotly in the MPI tests: the pages are compared byte for byte, not drawn.
