/** Mantine components that navigate with TanStack Router (typed `to`, `params`, `search`). */
import { forwardRef } from 'react';
import { Anchor, Button, type AnchorProps, type ButtonProps } from '@mantine/core';
import { createLink } from '@tanstack/react-router';

type AnchorBase = AnchorProps & Omit<React.ComponentPropsWithoutRef<'a'>, keyof AnchorProps>;
const AnchorBaseComponent = forwardRef<HTMLAnchorElement, AnchorBase>(function AnchorBaseComponent(props, ref) {
  return <Anchor ref={ref} {...props} />;
});
export const AnchorLink = createLink(AnchorBaseComponent);

type ButtonBase = ButtonProps & Omit<React.ComponentPropsWithoutRef<'a'>, keyof ButtonProps>;
const ButtonBaseComponent = forwardRef<HTMLAnchorElement, ButtonBase>(function ButtonBaseComponent(props, ref) {
  return <Button ref={ref} component="a" {...props} />;
});
export const ButtonLink = createLink(ButtonBaseComponent);
