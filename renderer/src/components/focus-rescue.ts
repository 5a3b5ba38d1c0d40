// A button that its own action disables (Save once saved, Clear once cleared, Load File while loading,
// Revert once reverted) takes the keyboard focus with it: the browser drops focus to <body>, where a
// keyboard or screen-reader user is lost. This moves it to a chosen element instead.
import { useEffect, useRef, type RefObject } from 'react';

function isFocusable(element: HTMLElement): boolean {
  return !(element instanceof HTMLButtonElement && element.disabled);
}

/**
 * Returns `arm`, to call when the action starts: from then on, once focus has fallen to <body>, it
 * goes to `target` as soon as `target` can take it. Focus that the user moves elsewhere disarms it.
 */
export function useFocusRescue(target: RefObject<HTMLElement | null>): () => void {
  const armedFrom = useRef<Element | null | undefined>(undefined);
  // After every render: the render that disables the button, or the one that enables the target.
  useEffect(() => {
    if (armedFrom.current === undefined) return;
    const focused = document.activeElement;
    if (focused === armedFrom.current && focused !== document.body) return; // still where the action started
    if (focused !== null && focused !== document.body) {
      armedFrom.current = undefined; // the user went on
      return;
    }
    const element = target.current;
    if (element && isFocusable(element)) {
      armedFrom.current = undefined;
      element.focus();
    }
  });
  return () => {
    armedFrom.current = document.activeElement;
  };
}
