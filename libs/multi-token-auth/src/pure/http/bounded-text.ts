/**
 * An HTTP answer's body as text, refused past `maxBytes` as it arrives (never read whole first):
 * a server that answers with gigabytes costs this process at most `maxBytes`.
 */
export async function boundedText(res: Response, maxBytes: number): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > maxBytes) throw new Error(`an answer of ${declared} bytes`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (!res.body) return '';
  const reader = res.body.getReader() as ReadableStreamDefaultReader<Uint8Array>;
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    size += chunk.value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new Error(`an answer of more than ${maxBytes} bytes`);
    }
    chunks.push(chunk.value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
