import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { TracingSettings } from '@relais/config';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  NodeTracerProvider,
  SpanExporter,
} from '@opentelemetry/sdk-trace-node';

export interface Tracing {
  /** Sends the spans still buffered: before a process stops. */
  flush(): Promise<void>;
}

let started: Tracing | undefined;

/**
 * Registers the process's tracer provider when the settings ask for it (once per process: a
 * second app in the same process shares it), so `inSpan` records real spans and W3C
 * `traceparent` headers are read. Returns undefined when tracing is off.
 */
export function startTracing(settings: TracingSettings): Tracing | undefined {
  if (started) return started;
  if (!settings.enabled) return undefined;
  const exporter: SpanExporter =
    settings.exporter === 'otlp'
      ? new OTLPTraceExporter(settings.url === undefined ? {} : { url: settings.url })
      : new ConsoleSpanExporter();
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': settings.serviceName }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  provider.register();
  started = { flush: () => provider.forceFlush() };
  return started;
}
