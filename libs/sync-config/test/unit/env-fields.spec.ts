import { z } from 'zod';
import { envKeyAttributes } from '../../src/env-fields';

const keyAttributesOf = (text: string) => z.object({ KEY_ATTRIBUTES: envKeyAttributes }).safeParse({ KEY_ATTRIBUTES: text });

describe('envKeyAttributes', () => {
  it('reads the partition key and the sort key, trimmed', () => {
    expect(keyAttributesOf(' pk , sk ')).toMatchObject({ success: true, data: { KEY_ATTRIBUTES: ['pk', 'sk'] } });
  });

  it.each(['pk,pk', 'pk, pk'])('refuses %j, which would merge the items of one partition, naming the variable', (text) => {
    // when
    const parsed = keyAttributesOf(text);
    // then
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues).toEqual([
      expect.objectContaining({ path: ['KEY_ATTRIBUTES'], message: expect.stringContaining('names the same attribute twice') }),
    ]);
  });
});
