/** Deletes an inventory item after confirmation, then goes back to the list. */
import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import type { InventoryItemBody } from '../../../contracts/api.js';
import { Feedback } from '../../components/Feedback.js';
import { api } from '../../lib/api.js';
import { setFlash } from '../../lib/flash.js';

export function DeleteItemButton({ item }: { item: InventoryItemBody }) {
  const { t } = useTranslation();
  const [opened, { open, close }] = useDisclosure(false);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () => api<void>(`/inventory/${item.id}`, { method: 'DELETE' }),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: ['inventory', 'item', item.id] });
      void queryClient.invalidateQueries({ queryKey: ['inventory'] });
      setFlash(t('item.deleted'));
      void navigate({ to: '/inventory' });
    },
  });
  return (
    <>
      <Button variant="outline" color="red" onClick={open}>
        {t('item.deleteItem')}
      </Button>
      <Modal opened={opened} onClose={close} title={t('item.deleteConfirmTitle')} closeButtonProps={{ 'aria-label': t('common.close') }}>
        <Stack>
          <Text>{t('item.deleteConfirmText', { name: item.name })}</Text>
          <Feedback error={remove.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button color="red" loading={remove.isPending} onClick={() => remove.mutate()}>
              {t('common.delete')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
