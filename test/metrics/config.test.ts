import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../lib/config';

describe('metrics configuration', () => {
  it('defaults: worker listener on 127.0.0.1:9464, /metrics open', () => {
    const c = parseConfig({});
    expect(c.METRICS_PORT).toBe(9464);
    expect(c.METRICS_HOST).toBe('127.0.0.1');
    expect(c.METRICS_TOKEN).toBeUndefined();
  });

  it('accepts 0 (off) and a port; a malformed port stops start-up naming the variable', () => {
    expect(parseConfig({ METRICS_PORT: '0' }).METRICS_PORT).toBe(0);
    expect(parseConfig({ METRICS_PORT: '9100', METRICS_HOST: '0.0.0.0' })).toMatchObject({ METRICS_PORT: 9100, METRICS_HOST: '0.0.0.0' });
    for (const bad of ['abc', '-1', '70000', '9.5']) {
      expect(() => parseConfig({ METRICS_PORT: bad })).toThrow(ConfigError);
      expect(() => parseConfig({ METRICS_PORT: bad })).toThrow(/METRICS_PORT must be a port from 0 to 65535/);
    }
  });

  it('METRICS_TOKEN is one word (trimmed); a bad one is refused without echoing it', () => {
    expect(parseConfig({ METRICS_TOKEN: ' s3cret ' }).METRICS_TOKEN).toBe('s3cret');
    expect(parseConfig({ METRICS_TOKEN: '  ' }).METRICS_TOKEN).toBeUndefined();
    let error: unknown;
    try {
      parseConfig({ METRICS_TOKEN: 'two words' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^invalid configuration: METRICS_TOKEN must be one word/);
    expect((error as Error).message).not.toContain('two words');
  });
});
