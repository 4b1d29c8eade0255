// A figure as plain data: what a figure builder returns and what notebooks and the report render.

/** A plotly figure plus the words around it. Builders in src/figures/ make these from result records. */
export interface Figure {
  /** Stable id, used as the HTML element id and in tests ("copy-counts"). */
  id: string;
  title: string;
  /** plotly traces */
  data: Record<string, unknown>[];
  /** plotly layout; builders always set title, axis titles with units, and showlegend */
  layout: Record<string, unknown>;
  /** plotly animation frames, for stepped figures */
  frames?: Record<string, unknown>[];
  /** One or two lines for terminals and the text/plain fallback. */
  summary: string;
}
