// What the Python analysis reports (also the CLI's `analyze --format json` shape). Pure data.

/**
 * for-range / for-slice / for-chunks / while-slice: a loop that cuts the recipients into batches;
 * for-each: one send per item (recipient) of a for loop; for-generator: a for loop over a project generator that
 * yields batches; while-loop: a while loop that sends (islice, queue, cursor); mass-call: one send_mass_mail /
 * send_messages call whose data is built at run time (comprehension, list filled by a loop): the call is the loop.
 */
export type LoopKind = 'for-range' | 'for-slice' | 'for-chunks' | 'while-slice' | 'for-each' | 'for-generator' | 'while-loop' | 'mass-call';
export type SendKind = 'message.send' | 'send_mail' | 'send_mass_mail' | 'send_messages' | 'helper';

/** 0-based line and UTF-16 column, as in LSP. */
export interface Pos {
  line: number;
  character: number;
}
export interface Span {
  start: Pos;
  end: Pos;
}

export interface BatchLoop {
  kind: LoopKind;
  /** 1-based line of the `for`/`while` keyword. */
  line: number;
  /** 1-based last line of the loop. */
  endLine: number;
  /** The loop variable(s) as written (for loops). */
  variable?: string;
  /** Batch size when it is a literal or a variable assigned a literal. */
  batchSize?: number;
  /** The batch size expression as written (`batch_size`, `10`). */
  batchSizeExpr?: string;
  /** Pause between batches in seconds (time.sleep argument) when known. */
  pause?: number;
  pauseExpr?: string;
}

export interface SendCall {
  file: string;
  /** 1-based line and column of the call. */
  line: number;
  column: number;
  /** 1-based last line of the statement holding the call. */
  endLine: number;
  /** The call expression, 0-based (LSP-like). */
  range: Span;
  /** The callee as written: `email.send`, `send_mail`, `connection.send_messages`, `envoyer_lot`. */
  callee: string;
  kind: SendKind;
  /** For kind 'helper': the project function that sends. */
  helper?: string;
  /** The enclosing function's name. */
  function?: string;
  loop: BatchLoop;
  /** Inside a try (within the loop) whose handlers catch SMTP errors (SMTPException/OSError/Exception/bare). */
  protected: boolean;
  /** fail_silently=True on the call, its connection or (for helpers) inside the helper. */
  failSilently: boolean;
  /** Inside a `with get_connection(...)` block (or sent through an explicit connection). */
  withConnection: boolean;
  /** For kind 'helper' defined in another module of the project: its file (as resolved from the import). */
  helperFile?: string;
  /** `analyze --diagnosis`: the fixes that apply to this send, in the order the verdict calls for. */
  fixes?: string[];
}

export interface AnalysisResult {
  file: string;
  sends: SendCall[];
  /** true when the parse tree has ERROR/MISSING nodes (analysis still runs on the rest). */
  syntaxErrors: boolean;
}
