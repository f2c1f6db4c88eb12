import { describe, expect, it } from 'vitest';
import { parseJson } from '../src/json';

describe('parseJson', () => {
  it('keeps every digit of a 64-bit id, number or string on the wire', () => {
    const v = parseJson('{"itemId":121310230513618944,"taskId":"121310230513618945","price":49.5,"n":12,"t":"a 1213102305136189440 b"}') as Record<string, unknown>;
    expect(v).toEqual({ itemId: '121310230513618944', taskId: '121310230513618945', price: 49.5, n: 12, t: 'a 1213102305136189440 b' });
  });
});
