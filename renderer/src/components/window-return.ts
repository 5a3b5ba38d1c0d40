// Another window or a kmip-console command may have changed the settings or the store while this window
// was in the background: nothing tells a page so, so it looks again when the operator comes back to it.
import { useEffect } from 'react';

/** Calls `lookAgain` whenever the window gets the focus back or becomes visible again. */
export function useOnWindowReturn(lookAgain: () => void): void {
  useEffect(() => {
    const onVisible = (): void => {
      if (document.visibilityState === 'visible') lookAgain();
    };
    window.addEventListener('focus', lookAgain);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.removeEventListener('focus', lookAgain);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [lookAgain]);
}
