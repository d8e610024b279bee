/** A small `multipart/form-data` reader for the sandbox's file uploads (`/v1/files`). */
import { FormDecodeError, type FormObject } from './form-codec.js';

export interface UploadedFile {
  field: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

export function boundaryOf(contentType: string): string | undefined {
  const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  return match ? (match[1] ?? match[2]).trim() : undefined;
}

/** Splits a multipart body into its text fields (as a form object) and its files. */
export function parseMultipart(
  body: Buffer,
  boundary: string,
): { params: FormObject; files: UploadedFile[] } {
  const delimiter = Buffer.from(`--${boundary}`);
  const params: FormObject = {};
  const files: UploadedFile[] = [];
  let start = body.indexOf(delimiter);
  if (start < 0) throw new FormDecodeError('Invalid multipart body: no boundary found');
  for (;;) {
    start += delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next < 0) throw new FormDecodeError('Invalid multipart body: unterminated part');
    // Each part: CRLF, headers, CRLF CRLF, content, CRLF.
    const part = body.subarray(start + 2, next - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd < 0) throw new FormDecodeError('Invalid multipart body: part without headers');
    const headers = part.subarray(0, headerEnd).toString('utf8');
    const content = part.subarray(headerEnd + 4);
    const disposition = /content-disposition:\s*form-data;([^\r\n]*)/i.exec(headers)?.[1] ?? '';
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
    const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
    if (!name) throw new FormDecodeError('Invalid multipart body: part without a name');
    if (filename !== undefined) {
      const contentType =
        /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim() ?? 'application/octet-stream';
      files.push({ field: name, filename, contentType, data: Buffer.from(content) });
    } else {
      params[name] = content.toString('utf8');
    }
    start = next;
  }
  return { params, files };
}

/** The type of a file by its first bytes: JPEG, PNG or PDF (what Stripe takes for identity documents). */
export function sniffFileType(data: Buffer): 'jpg' | 'png' | 'pdf' | undefined {
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'jpg';
  if (data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'png';
  if (data.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  return undefined;
}
