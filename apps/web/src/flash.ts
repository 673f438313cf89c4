import type { Message } from './problems.js';

/** A message for the next page (an event saved, then the case page): shown once. */
let pending: Message | undefined;

export function setFlash(message: Message): void {
  pending = message;
}

export function takeFlash(): Message | undefined {
  const message = pending;
  pending = undefined;
  return message;
}
