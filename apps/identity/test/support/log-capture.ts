/**
 * Captures everything written to stdout (where pino writes the service's logs) from before the
 * suite's app starts until the suite ends. Call it at the top of a describe block, before
 * appForSuite, so that its beforeAll runs first; read `text()` in the tests.
 */
export function captureLogsForSuite(): { text(): string; lines(): string[] } {
  let captured: string[] = [];
  let stdout: jest.SpyInstance | undefined;

  beforeAll(() => {
    captured = [];
    // pino writes through process.stdout.write once it sees that write was replaced.
    stdout = jest
      .spyOn(process.stdout, 'write')
      .mockImplementation((chunk: string | Uint8Array) => {
        captured.push(Buffer.from(chunk).toString('utf8'));
        return true;
      });
  });

  afterAll(() => stdout?.mockRestore());

  return {
    text: () => captured.join(''),
    lines: () =>
      captured
        .join('')
        .split('\n')
        .filter((line) => line.trim() !== ''),
  };
}
