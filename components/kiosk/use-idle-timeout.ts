'use client';

import { useEffect, useRef, useState } from 'react';

/**
 * Calls `onIdle` once nobody has touched, clicked or typed for `seconds` while `active`,
 * and counts down the seconds left (for a visible "closes in" line).
 */
export function useIdleTimeout(active: boolean, seconds: number, onIdle: () => void): number {
  const [left, setLeft] = useState(seconds);
  const onIdleRef = useRef(onIdle);
  useEffect(() => {
    onIdleRef.current = onIdle;
  }, [onIdle]);

  useEffect(() => {
    if (!active) return;
    let last = Date.now();
    const touch = () => {
      last = Date.now();
      setLeft(seconds);
    };
    const events = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;
    for (const e of events) window.addEventListener(e, touch, { passive: true });
    const timer = window.setInterval(() => {
      const remaining = Math.max(0, seconds - Math.floor((Date.now() - last) / 1000));
      setLeft(remaining);
      if (remaining === 0) onIdleRef.current();
    }, 1000);
    return () => {
      for (const e of events) window.removeEventListener(e, touch);
      window.clearInterval(timer);
      setLeft(seconds);
    };
  }, [active, seconds]);

  return left;
}
