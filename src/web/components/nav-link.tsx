/** The navigation's links: a Mantine NavLink that navigates with TanStack Router (apart from links.tsx, so public pages do not load NavLink). */
import { forwardRef } from 'react';
import { NavLink, type NavLinkProps } from '@mantine/core';
import { createLink } from '@tanstack/react-router';

type NavLinkBase = NavLinkProps & Omit<React.ComponentPropsWithoutRef<'a'>, keyof NavLinkProps>;
const NavLinkBaseComponent = forwardRef<HTMLAnchorElement, NavLinkBase>(function NavLinkBaseComponent(props, ref) {
  // TanStack Link marks the current page with data-status="active" and aria-current="page".
  const active = (props as { 'data-status'?: string })['data-status'] === 'active';
  return <NavLink ref={ref} component="a" active={active} {...props} />;
});
export const NavLinkItem = createLink(NavLinkBaseComponent);
