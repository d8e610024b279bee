/** The type of a file by its first bytes, not its name or declared type: JPEG, PNG or PDF. */
export type DocumentType = 'jpg' | 'png' | 'pdf';

export function sniffDocumentType(data: Buffer): DocumentType | undefined {
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'jpg';
  if (
    data.length >= 8 &&
    data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  )
    return 'png';
  if (data.length >= 5 && data.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  return undefined;
}

/** A file of a multipart request, as multer hands it over. */
export interface UploadedDocument {
  fieldname: string;
  originalname: string;
  mimetype: string;
  size: number;
  buffer: Buffer;
}
