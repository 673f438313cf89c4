/**
 * On a phone a data table shows as one card per row (styles.css), each cell preceded by its
 * column's name: this copies the column headers onto the cells as `data-label`, for the style
 * sheet to print. The table stays a table for screen readers; only its layout changes.
 */
export function labelTableCells(root: ParentNode): void {
  for (const table of root.querySelectorAll('table.data')) {
    const headers = Array.from(table.querySelectorAll('thead th'), (th) =>
      (th.textContent ?? '').trim(),
    );
    for (const row of table.querySelectorAll('tbody tr')) {
      Array.from(row.children).forEach((cell, i) => {
        const label = headers[i];
        if (label && cell.getAttribute('data-label') !== label)
          cell.setAttribute('data-label', label);
      });
    }
  }
}
