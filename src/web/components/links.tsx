/** Mantine components that navigate with TanStack Router (typed `to`, `params`, `search`). */
import { forwardRef } from 'react';
import { Anchor, Button, NavLink, type AnchorProps, type ButtonProps, type NavLinkProps } from '@mantine/core';
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

type NavLinkBase = NavLinkProps & Omit<React.ComponentPropsWithoutRef<'a'>, keyof NavLinkProps>;
const NavLinkBaseComponent = forwardRef<HTMLAnchorElement, NavLinkBase>(function NavLinkBaseComponent(props, ref) {
  // TanStack Link marks the current page with data-status="active" and aria-current="page".
  const active = (props as { 'data-status'?: string })['data-status'] === 'active';
  return <NavLink ref={ref} component="a" active={active} {...props} />;
});
export const NavLinkItem = createLink(NavLinkBaseComponent);
