const NUMBER = /^[-+]?[\d.,]+%?$/;

/** Rows as aligned columns: numbers right-aligned, text left-aligned. */
export function textTable(rows: readonly (readonly string[])[]): string {
  const widths = rows.reduce<number[]>(
    (acc, row) => row.map((cell, column) => Math.max(acc[column] ?? 0, [...cell].length)),
    [],
  );
  return rows
    .map((row) =>
      row
        .map((cell, column) => {
          const padding = ' '.repeat(widths[column] - [...cell].length);
          return NUMBER.test(cell) ? padding + cell : cell + padding;
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
