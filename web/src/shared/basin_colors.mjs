// The colours of a basin map, shared by the playground's map (playground/maps.mjs) and the
// `kobai basin` page (basin/basin.mjs): one per minimum, in the order of the minima (known global,
// known local, then found), and one each for runs that diverged or did not converge.
export const BASIN_COLORS = [[31, 119, 180], [214, 39, 40], [44, 160, 44], [148, 103, 189], [255, 127, 14], [23, 190, 207],
  [140, 86, 75], [227, 119, 194], [188, 189, 34], [127, 127, 127]];
export const DIVERGED = [0, 0, 0], NOT_CONVERGED = [190, 190, 190];

export function rgb(c) {
  return 'rgb(' + c.join(',') + ')';
}

export function basinColor(cls) {
  return rgb(BASIN_COLORS[cls % BASIN_COLORS.length]);
}
