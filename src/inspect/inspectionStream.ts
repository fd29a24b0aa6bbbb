import { createWebSocketInspector } from '@statelyai/inspect';
import type { InspectionEvent, Observer } from 'xstate';
import { redactSecrets } from '../log/redact.ts';

export interface InspectionStream {
  observer: Observer<InspectionEvent>;
  stop(): void;
}

/** Streams a system's inspection events to a relay, with secret-looking fields redacted. */
export function streamInspectionTo(wsUrl: string): InspectionStream {
  const inspector = createWebSocketInspector({
    url: wsUrl,
    sanitizeContext: (context) => redactSecrets(context) as typeof context,
    sanitizeEvent: (event) => redactSecrets(event) as typeof event,
  });
  return {
    observer: inspector.inspect,
    stop: () => inspector.stop(),
  };
}
