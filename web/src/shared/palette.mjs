// One colour per run, in the order of the runs: the reports and the playground draw with the same.
export const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2',
  '#17becf', '#bcbd22', '#7f7f7f'];

export function colorOf(index) {
  return COLORS[index % COLORS.length];
}
