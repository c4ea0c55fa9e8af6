/**
 * The audit log's codes (actions, kinds of record, roles, changed fields, system actors) in the
 * reader's words; an unknown code shows as itself (an unknown system actor as "System").
 */
import { useTranslation } from 'react-i18next';

export function useAuditLabels() {
  // The `audit` namespace is loaded on first use; until it is, codes show as themselves.
  const { t, i18n } = useTranslation(['translation', 'audit']);
  // Keys here are built from server data, so they are checked at run time (i18n.exists).
  const tr = (key: string, fallback: string): string => (i18n.exists(`audit:${key}`) ? String(t(`audit:${key}` as never)) : fallback);
  const system = () => tr('auditActor.system', 'System');
  return {
    action: (action: string) => tr(`auditAction.${action}`, action),
    recordType: (type: string) => tr(`auditRecordType.${type}`, type),
    field: (field: string) => tr(`auditField.${field}`, field),
    role: (role: string) => (role === 'system' ? system() : i18n.exists(`role.${role}`) ? String(t(`role.${role}` as never)) : role),
    /** A person's name as recorded, or a job's or command's (`system:<name>`) in words. */
    actor: (label: string) => (label.startsWith('system:') ? tr(`auditActor.name.${label.slice('system:'.length)}`, system()) : label),
  };
}
