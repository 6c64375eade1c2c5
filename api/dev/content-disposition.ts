/**
 * A Content-Disposition header that saves a response under a file name of our choosing. The quoted name
 * is plain ASCII with quotes, backslashes, path separators and control characters replaced (none of them
 * can end the string, split the header or reach a folder); the exact name follows in RFC 8187 form for
 * browsers that read it.
 */
export function attachmentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\/%]/g, '_');
  const exact = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${exact}`;
}
