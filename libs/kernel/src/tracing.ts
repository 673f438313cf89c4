import { Attributes, Span, SpanKind, SpanStatusCode, trace, Tracer } from '@opentelemetry/api';

/** Relais's tracer: OpenTelemetry's no-op one until a provider is registered. */
export function relaisTracer(): Tracer {
  return trace.getTracer('relais');
}

/**
 * Runs `work` in a span of Relais's tracer, the active one while it runs, so spans opened inside
 * are its children. Without a tracer provider (tracing is off unless `OTEL_*` switches it on,
 * see `startTracing`), the span is OpenTelemetry's no-op one: nothing is recorded or sent.
 * Attributes name kinds of things (a route pattern, a stream category, event types), never a
 * person's data.
 */
export function inSpan<T>(
  name: string,
  attributes: Attributes,
  work: (span: Span) => Promise<T>,
  kind: SpanKind = SpanKind.INTERNAL,
): Promise<T> {
  return relaisTracer().startActiveSpan(name, { kind, attributes }, async (span): Promise<T> => {
    try {
      return await work(span);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).name });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** A stream's category, the part of its id before the first `-`: `case`, `obligation`, … */
export function streamCategory(streamId: string): string {
  const dash = streamId.indexOf('-');
  return dash < 0 ? streamId : streamId.slice(0, dash);
}
