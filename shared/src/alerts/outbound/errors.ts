/** An outbound delivery that was not attempted or was cut off for safety (never retried). */
export class OutboundRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutboundRefusedError';
  }
}
