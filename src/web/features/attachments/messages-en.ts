/** English messages of the attached documents panel; `messages-fr.ts` has the same keys. */

export const attachmentsEn = {
  title: 'Documents',
  intro: 'Agreements (DPAs) and vendor documents. PDF, Word (DOCX), PNG or JPEG, up to {{megabytes}} MB each; stored encrypted.',
  none: 'No document attached yet.',
  listLabel: 'Attached documents',
  file: 'File',
  fileHint: 'Recognised by its content, whatever its name.',
  kind: 'Kind of document',
  kinds: { agreement: 'Agreement (DPA)', vendor_document: 'Vendor document', other: 'Other' },
  expiresOn: 'Agreement ends on (optional)',
  upload: 'Attach',
  uploaded: '“{{name}}” attached.',
  download: 'Download',
  downloadLabel: 'Download {{name}}',
  delete: 'Remove',
  deleteLabel: 'Remove {{name}}',
  deleteTitle: 'Remove this document?',
  deleteText: '“{{name}}” will be removed. This cannot be undone.',
  deleted: '“{{name}}” removed.',
  columns: { name: 'Name', kind: 'Kind', size: 'Size', expires: 'Agreement ends', added: 'Added', actions: 'Actions' },
  size: '{{value}} KB',
};
