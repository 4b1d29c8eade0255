"""Executes one notebook with the project's tslab kernel and saves it with its outputs.

tslab's error replies carry no message (the real error is on the cell's stderr), so on a failing
cell this prints the cell number, its source head and its stderr text, and exits 1.
Usage: run-notebook.py <in.ipynb> <out.ipynb> [timeout-seconds]
"""
import os
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError
from nbformat.sign import NotebookNotary


def cell_error_text(cell):
    """The text a reader needs: stderr streams and error outputs of one cell."""
    parts = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            parts.append(output.get("text", ""))
        elif output.get("output_type") == "error":
            parts.append(f"{output.get('ename', '')}: {output.get('evalue', '')}")
    return "".join(parts).strip() or "(the kernel reported an error but printed nothing)"


def main():
    source, target = sys.argv[1], sys.argv[2]
    timeout = int(sys.argv[3]) if len(sys.argv) > 3 else 900
    nb = nbformat.read(source, as_version=4)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    client = NotebookClient(nb, timeout=timeout, kernel_name="workbook-ts", resources={"metadata": {"path": root}})
    failed = None
    # tslab reports no execution count, so the saved notebook would show "In [ ]:" for every cell: number the code
    # cells in the order they ran, as the Notebook UI does.
    count = 0
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.execution_count = None
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            count += 1
            try:
                client.execute_cell(cell, index)
            except (CellExecutionError, CellTimeoutError) as error:
                failed = (index, cell, error)
                break
            finally:
                cell.execution_count = cell.execution_count or count
    NotebookNotary().sign(nb)  # trusted, so Notebook 6 runs the plot scripts in saved outputs
    nbformat.write(nb, target)
    if failed:
        index, cell, error = failed
        head = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
        reason = "timed out" if isinstance(error, CellTimeoutError) else "failed"
        sys.stderr.write(f"{os.path.basename(source)}: cell {index} ({head!r}) {reason}:\n{cell_error_text(cell)}\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
