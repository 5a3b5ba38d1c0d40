// A button that its own action disables (Save once saved, Clear once cleared, Load File while loading)
// takes the keyboard focus with it: the browser drops focus to <body>, where a keyboard or screen-reader
// user is lost. This moves it to a chosen element instead. Chromium drops the focus at a rendering step
// of its own, not when React disables the button, so this looks once per frame, not once per render.
import { useEffect, useRef, type RefObject } from 'react';

/** How long an action may take before focus is left where it is. */
const WATCH_MS = 120_000;
/** Frames to wait for the render that disables the button that was pressed. */
const GRACE_FRAMES = 10;

function isDisabled(element: Element): boolean {
  return element instanceof HTMLButtonElement && element.disabled;
}

/**
 * Returns `arm`, to call when the action starts: from then on, once focus has fallen to <body> (or sits
 * on a disabled button), it goes to `target` as soon as `target` can take it. Focus that the user moves
 * elsewhere, or that is back on an enabled control, ends the watch.
 */
export function useFocusRescue(target: RefObject<HTMLElement | null>): () => void {
  const stopWatching = useRef<(() => void) | null>(null);
  useEffect(() => () => stopWatching.current?.(), []);
  return () => {
    stopWatching.current?.();
    const armedFrom = document.activeElement;
    const until = performance.now() + WATCH_MS;
    let looks = 0;
    let frame = 0;
    const look = (): void => {
      looks += 1;
      const focused = document.activeElement;
      const lost = focused === null || focused === document.body || isDisabled(focused);
      const element = target.current;
      if (lost && element && !isDisabled(element)) {
        element.focus();
        stopWatching.current = null;
        return;
      }
      // Focus on an enabled control: the user moved on, or the action ended without disabling its button
      // (a few frames' grace for the render that disables it).
      const settled = !lost && (focused !== armedFrom || looks > GRACE_FRAMES);
      if (settled || performance.now() > until) {
        stopWatching.current = null;
        return;
      }
      frame = requestAnimationFrame(look);
    };
    frame = requestAnimationFrame(look);
    stopWatching.current = () => cancelAnimationFrame(frame);
  };
}
