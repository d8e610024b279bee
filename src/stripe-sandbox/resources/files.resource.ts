import { invalidParam, invalidRequest, missingParam, resourceMissing } from '../sandbox.errors.js';
import { newId } from '../sandbox.ids.js';
import { paginate } from '../sandbox.list.js';
import { sniffFileType } from '../multipart.js';
import type { StoredObject } from '../sandbox.store.js';
import type { StripeSandbox } from '../stripe-sandbox.js';
import { optionalString } from './params.js';

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

/**
 * `/v1/files` (multipart, as Stripe's Files API): the upload is owned by the account that sends it
 * (`Stripe-Account`), checked by its bytes, and kept as metadata only: the sandbox does not keep contents.
 */
export function registerFileRoutes(sandbox: StripeSandbox): void {
  const render = (stored: StoredObject) => ({ ...(stored.data as FileData) });
  sandbox.renderer('file', ['file'], render);

  sandbox.route(
    'POST',
    '/v1/files',
    (ctx) => {
      const purpose = optionalString(ctx.params, 'purpose');
      if (!purpose) throw missingParam('purpose');
      if (!PURPOSES.includes(purpose))
        throw invalidParam('purpose', `Invalid purpose: must be one of ${PURPOSES.join(', ')}`);
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
      if (
        !type &&
        ['identity_document', 'additional_verification', 'account_requirement'].includes(purpose)
      ) {
        throw invalidParam(
          'file',
          'Files of this purpose must be JPEG, PNG or PDF.',
          'file_type_invalid',
        );
      }
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
      return render(stored);
    },
    ['purpose', 'file_link_data'],
    { multipart: true },
  );

  sandbox.route('GET', '/v1/files/:id', (ctx) => {
    const stored = ctx.sandbox.store.get(ctx.pathParams.id);
    if (!stored || stored.kind !== 'file' || stored.scope !== ctx.scope)
      throw resourceMissing('file', ctx.pathParams.id);
    return render(stored);
  });

  sandbox.route(
    'GET',
    '/v1/files',
    (ctx) => {
      const purpose = optionalString(ctx.params, 'purpose');
      const items = ctx.sandbox.store.list<FileData>(
        'file',
        (f) => f.scope === ctx.scope && (!purpose || f.data.purpose === purpose),
      );
      return paginate(ctx.params, items, render, '/v1/files', 'file');
    },
    ['limit', 'starting_after', 'ending_before', 'purpose', 'created'],
  );
}
