import { invalidParam, invalidRequest, missingParam, resourceMissing } from '../sandbox.errors.js';
import { newId } from '../sandbox.ids.js';
import { paginate } from '../sandbox.list.js';
import { sniffFileType, type UploadedFile } from '../multipart.js';
import type { StoredObject } from '../sandbox.store.js';
import type { RequestContext, StripeSandbox } from '../stripe-sandbox.js';
import { optionalString, PAGE_PARAMS } from './params.js';

/** Stripe's limits: identity documents up to 10 MB, as JPEG, PNG or PDF. */
export const FILE_MAX_BYTES = 10 * 1024 * 1024;
const PURPOSES = [
  'account_requirement',
  'additional_verification',
  'business_icon',
  'business_logo',
  'customer_signature',
  'dispute_evidence',
  'identity_document',
  'pci_document',
  'tax_document_user_upload',
];

interface FileData {
  id: string;
  object: 'file';
  created: number;
  expires_at: number | null;
  filename: string;
  purpose: string;
  size: number;
  title: null;
  type: string;
  url: string | null;
  links: { object: 'list'; data: never[]; has_more: false; url: string };
}

const CHECKED_PURPOSES = ['identity_document', 'additional_verification', 'account_requirement'];

function renderFile(stored: StoredObject): Record<string, unknown> {
  return { ...(stored.data as FileData) };
}

/** The one uploaded file, checked as Stripe checks it: present, not empty, not too large, of its type. */
function readUpload(ctx: RequestContext, purpose: string): { file: UploadedFile; type?: string } {
  const file = ctx.files.find((f) => f.field === 'file');
  if (!file) throw missingParam('file');
  if (ctx.files.length > 1) throw invalidRequest('Upload one file per request.', 'file');
  if (!file.data.length) throw invalidParam('file', 'The file is empty.');
  if (file.data.length > FILE_MAX_BYTES)
    throw invalidParam(
      'file',
      `The file is larger than ${FILE_MAX_BYTES} bytes.`,
      'file_too_large',
    );
  const type = sniffFileType(file.data);
  if (!type && CHECKED_PURPOSES.includes(purpose)) {
    throw invalidParam(
      'file',
      'Files of this purpose must be JPEG, PNG or PDF.',
      'file_type_invalid',
    );
  }
  return { file, type };
}

function createFile(ctx: RequestContext): Record<string, unknown> {
  const purpose = optionalString(ctx.params, 'purpose');
  if (!purpose) throw missingParam('purpose');
  if (!PURPOSES.includes(purpose))
    throw invalidParam('purpose', `Invalid purpose: must be one of ${PURPOSES.join(', ')}`);
  const { file, type } = readUpload(ctx, purpose);
  const id = newId('file');
  const created = ctx.sandbox.clock.now();
  const stored = ctx.sandbox.store.insert<FileData>('file', ctx.scope, id, {
    id,
    object: 'file',
    created,
    expires_at: created + 365 * 86_400,
    filename: file.filename.slice(0, 200) || 'upload',
    purpose,
    size: file.data.length,
    title: null,
    type: type ?? 'unknown',
    url: null,
    links: { object: 'list', data: [], has_more: false, url: `/v1/file_links?file=${id}` },
  });
  return renderFile(stored);
}

function retrieveFile(ctx: RequestContext): Record<string, unknown> {
  const stored = ctx.sandbox.store.get(ctx.pathParams.id);
  if (!stored || stored.kind !== 'file' || stored.scope !== ctx.scope)
    throw resourceMissing('file', ctx.pathParams.id);
  return renderFile(stored);
}

function listFiles(ctx: RequestContext): unknown {
  const purpose = optionalString(ctx.params, 'purpose');
  const items = ctx.sandbox.store.list<FileData>(
    'file',
    (f) => f.scope === ctx.scope && (!purpose || f.data.purpose === purpose),
  );
  return paginate(ctx.params, items, renderFile, '/v1/files', 'file');
}

/**
 * `/v1/files` (multipart, as Stripe's Files API): the upload is owned by the account that sends it
 * (`Stripe-Account`), checked by its bytes, and kept as metadata only: the sandbox does not keep contents.
 */
export function registerFiles(sandbox: StripeSandbox): void {
  sandbox.renderer('file', ['file'], renderFile);
  sandbox.route('POST', '/v1/files', createFile, ['purpose', 'file_link_data'], {
    multipart: true,
  });
  sandbox.route('GET', '/v1/files/:id', retrieveFile);
  sandbox.route('GET', '/v1/files', listFiles, [...PAGE_PARAMS, 'purpose', 'created']);
}
