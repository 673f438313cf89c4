import { AccessRecord, withAccessRecord } from '@relais/access-log';
import { withCorrelation } from '@relais/kernel';
import { JsonLogger } from './json-logger';

describe('JsonLogger', () => {
  const capture = () => {
    const lines: string[] = [];
    const logger = new JsonLogger('Delivery', {
      logLevels: ['error', 'warn', 'log'],
      write: (line) => lines.push(line),
    });
    return { lines, logger, parsed: () => lines.map((l) => JSON.parse(l) as unknown) };
  };

  it('writes one JSON object per line with the level, the component and the message', () => {
    const { lines, logger, parsed } = capture();
    logger.warn('webhook delivery 6f0c failed (attempt 2): timeout');
    logger.debug('not at this level');
    expect(lines).toHaveLength(1);
    expect(parsed()[0]).toMatchObject({
      level: 'warn',
      context: 'Delivery',
      message: 'webhook delivery 6f0c failed (attempt 2): timeout',
      pid: process.pid,
    });
    expect(parsed()[0]).not.toHaveProperty('requestId');
  });

  it('carries the id of the HTTP request the line was written in', () => {
    const { logger, parsed } = capture();
    withAccessRecord(new AccessRecord('req-42', '127.0.0.1'), () => logger.log('inside'));
    logger.log('outside');
    const [inside, outside] = parsed();
    expect(inside).toMatchObject({ message: 'inside', requestId: 'req-42' });
    expect(outside).toMatchObject({ message: 'outside' });
    expect(outside).not.toHaveProperty('requestId');
  });

  it('carries the correlation id of the work the line was written in, such as an event being handled', () => {
    const { logger, parsed } = capture();
    withCorrelation('req-7', () => logger.warn('webhook delivery 6f0c failed'));
    withCorrelation(undefined, () => logger.warn('no correlation'));
    logger.log('outside');
    const [inside, none, outside] = parsed();
    expect(inside).toMatchObject({
      message: 'webhook delivery 6f0c failed',
      correlationId: 'req-7',
    });
    expect(none).not.toHaveProperty('correlationId');
    expect(outside).not.toHaveProperty('correlationId');
  });

  it('names the request and the correlation apart when both are known', () => {
    const { logger, parsed } = capture();
    withAccessRecord(new AccessRecord('req-43', '127.0.0.1'), () =>
      withCorrelation('req-12', () => logger.log('a command retried from an earlier request')),
    );
    expect(parsed()[0]).toMatchObject({ requestId: 'req-43', correlationId: 'req-12' });
  });
});
