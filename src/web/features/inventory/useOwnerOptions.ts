/** Who can own an inventory item: the institution's active people (names only). */
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { directoryQuery } from '../../lib/queries.js';
import { useRequiredSession } from '../../lib/session.js';

export function useOwnerOptions(currentOwnerId: string | null): { value: string; label: string }[] {
  const { t } = useTranslation();
  const session = useRequiredSession();
  const users = useQuery({ ...directoryQuery, enabled: session.abilities.manageInventory });
  const me = session.user;
  const options = new Map<string, string>();
  options.set(me.id, t('item.you', { name: `${me.firstName} ${me.lastName}` }));
  for (const u of users.data ?? []) {
    if (u.id !== me.id) options.set(u.id, `${u.firstName} ${u.lastName}`);
  }
  if (currentOwnerId && !options.has(currentOwnerId)) {
    const known = users.data?.find((u) => u.id === currentOwnerId);
    options.set(currentOwnerId, known ? `${known.firstName} ${known.lastName}` : t('item.otherUser'));
  }
  return [...options].map(([value, label]) => ({ value, label }));
}
