import type { Reply } from './http';

/** The problem-details shape every non-OAuth error has (RFC 9457). */
export function expectProblem(reply: Reply, status: number, code: string) {
  expect({ status: reply.status, code: reply.body?.code }).toEqual({ status, code });
  expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(reply.body).toMatchObject({
    type: expect.stringMatching(/\S/),
    title: expect.stringMatching(/\S/),
    status,
    code,
  });
}

/** A 400 whose every field error names `field` (and there is at least one). */
export function expectFieldErrors(reply: Reply, field: string) {
  expectProblem(reply, 400, 'validation_failed');
  expect(reply.body.errors).toEqual(expect.arrayContaining([expect.anything()]));
  for (const error of reply.body.errors) {
    expect(error).toEqual({ field, message: expect.stringMatching(/\S/) });
  }
}
