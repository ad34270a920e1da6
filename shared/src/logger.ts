/**
 * Structured JSON logs on stdout, one object per line, in the shape Cloud Logging parses:
 * `severity`, `message`, `httpRequest`, `logging.googleapis.com/trace`.
 */
export type Severity = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';

export interface Logger {
  log(severity: Severity, message: string, fields?: Record<string, unknown>): void;
}

export interface LoggerOptions {
  /** Lines below this severity are dropped. */
  level: Severity;
  /** Where lines go; tests pass an array sink. */
  write?: (line: string) => void;
}

const order: Record<Severity, number> = { DEBUG: 0, INFO: 1, WARNING: 2, ERROR: 3 };

export function createLogger(options: LoggerOptions): Logger {
  const write = options.write ?? ((line: string) => process.stdout.write(line + '\n'));
  return {
    log(severity, message, fields) {
      if (order[severity] < order[options.level]) return;
      write(JSON.stringify({ severity, message, time: new Date().toISOString(), ...fields }, jsonSafe));
    },
  };
}

function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  return value;
}

/** `X-Cloud-Trace-Context: TRACE_ID/SPAN_ID;o=1` → the trace field Cloud Logging links to. */
export function traceFields(header: string | null, projectId: string | undefined): Record<string, string> {
  if (!header) return {};
  const [traceId] = header.split('/');
  if (!traceId || !/^[0-9a-f]{32}$/i.test(traceId)) return {};
  return {
    'logging.googleapis.com/trace': projectId ? `projects/${projectId}/traces/${traceId}` : traceId,
  };
}
