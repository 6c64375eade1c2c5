/**
 * The rectangular linear assignment problem: give each of `rows` rows its own column (rows ≤ columns)
 * at the least total cost, by shortest augmenting paths with dual potentials (Crouse, "On implementing
 * 2D rectangular assignment algorithms", 2016). Exact, O(rows² · columns) at worst, and deterministic:
 * the same matrix always gives the same assignment. An entry of Infinity is a pair that may not be made.
 */
export class InfeasibleAssignment extends Error {}

/** `cost[r * columns + c]`; returns the column of each row. */
export function assignRows(cost: Float64Array, rows: number, columns: number): Int32Array {
  if (rows > columns) throw new RangeError(`${rows} rows cannot each get one of ${columns} columns`);
  const u = new Float64Array(rows);
  const v = new Float64Array(columns);
  const shortest = new Float64Array(columns);
  const path = new Int32Array(columns).fill(-1);
  const colOfRow = new Int32Array(rows).fill(-1);
  const rowOfCol = new Int32Array(columns).fill(-1);
  const remaining = new Int32Array(columns);
  const visitedRows = new Int32Array(rows);
  const visitedCols = new Int32Array(columns);

  for (let start = 0; start < rows; start++) {
    shortest.fill(Infinity);
    for (let k = 0; k < columns; k++) remaining[k] = columns - 1 - k;
    let left = columns;
    let visitedRowCount = 0;
    let visitedColCount = 0;
    let minVal = 0;
    let sink = -1;
    let i = start;
    while (sink === -1) {
      visitedRows[visitedRowCount++] = i;
      let best = -1;
      let lowest = Infinity;
      const base = i * columns;
      const ui = u[i]!;
      for (let k = 0; k < left; k++) {
        const j = remaining[k]!;
        const reduced = minVal + cost[base + j]! - ui - v[j]!;
        if (reduced < shortest[j]!) {
          path[j] = i;
          shortest[j] = reduced;
        }
        const s = shortest[j]!;
        // Among equals, a free column ends the search soonest.
        if (s < lowest || (s === lowest && rowOfCol[j] === -1)) {
          lowest = s;
          best = k;
        }
      }
      minVal = lowest;
      if (minVal === Infinity) throw new InfeasibleAssignment(`row ${start} has no column it may take`);
      const j = remaining[best]!;
      if (rowOfCol[j] === -1) sink = j;
      else i = rowOfCol[j]!;
      visitedCols[visitedColCount++] = j;
      remaining[best] = remaining[--left]!;
    }

    u[start] = u[start]! + minVal;
    for (let k = 0; k < visitedRowCount; k++) {
      const r = visitedRows[k]!;
      if (r !== start) u[r] = u[r]! + minVal - shortest[colOfRow[r]!]!;
    }
    for (let k = 0; k < visitedColCount; k++) {
      const c = visitedCols[k]!;
      v[c] = v[c]! - (minVal - shortest[c]!);
    }

    let j = sink;
    for (;;) {
      const r = path[j]!;
      rowOfCol[j] = r;
      const previous = colOfRow[r]!;
      colOfRow[r] = j;
      j = previous;
      if (r === start) break;
    }
  }
  return colOfRow;
}
