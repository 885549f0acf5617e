import { Problem } from '../common/problem';
import { decodeCursor, encodeCursor } from './revocation-cursor';

const refusal = (cursor: string) => {
  try {
    decodeCursor(cursor);
  } catch (error) {
    return error instanceof Problem ? `${error.status} ${error.extras.errors?.[0]?.field}` : error;
  }
  return 'accepted';
};

describe('revocation cursors', () => {
  it.each(['752:752:', '752:760:752,755,759', '3:3:'])(
    'carry the snapshot %s there and back',
    (snapshot) => {
      expect(decodeCursor(encodeCursor(snapshot))).toBe(snapshot);
    },
  );

  it.each([
    ['garbage', 'garbage'],
    ['an empty string', ''],
    ['another version', Buffer.from('2|752:752:').toString('base64url')],
    ['xmin after xmax', Buffer.from('1|760:752:').toString('base64url')],
    ['a running xid outside xmin..xmax', Buffer.from('1|752:760:761').toString('base64url')],
    ['running xids out of order', Buffer.from('1|752:760:755,753').toString('base64url')],
    ['an xid past 64 bits', Buffer.from('1|1:99999999999999999999:').toString('base64url')],
    ['a negative number', Buffer.from('1|-1:5:').toString('base64url')],
  ])('refuse %s with a 400 on since', (_, cursor) => {
    expect(refusal(cursor)).toBe('400 since');
  });
});
