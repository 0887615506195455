'use client';

import jsQR from 'jsqr';
import { useTranslations } from 'next-intl';
import { useEffect, useRef, useState } from 'react';

/**
 * Reads QR codes from the device camera with jsQR. The same code is reported once, then
 * again only after 5 s (a customer may show it twice). Shows a clear message if there is
 * no camera or permission is denied; the PIN keypad then remains.
 */
export function QrScanner({ onCode, paused }: { onCode: (code: string) => void; paused: boolean }) {
  const t = useTranslations('kiosk.scanner');
  const video = useRef<HTMLVideoElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const last = useRef<{ code: string; at: number } | null>(null);
  const pausedRef = useRef(paused);
  const onCodeRef = useRef(onCode);
  const [state, setState] = useState<'starting' | 'scanning' | 'unavailable' | 'denied'>('starting');

  useEffect(() => {
    pausedRef.current = paused;
    onCodeRef.current = onCode;
  }, [paused, onCode]);

  useEffect(() => {
    let stream: MediaStream | null = null;
    let timer: number | undefined;
    let cancelled = false;
    async function start() {
      if (!navigator.mediaDevices?.getUserMedia) {
        setState('unavailable');
        return;
      }
      try {
        stream = await navigator.mediaDevices.getUserMedia({
          video: { facingMode: 'environment', width: { ideal: 1280 } },
          audio: false,
        });
      } catch (err) {
        setState((err as DOMException).name === 'NotAllowedError' ? 'denied' : 'unavailable');
        return;
      }
      if (cancelled || !video.current) return;
      video.current.srcObject = stream;
      await video.current.play().catch(() => {});
      setState('scanning');
      timer = window.setInterval(() => {
        const v = video.current;
        const c = canvas.current;
        if (!v || !c || pausedRef.current || v.readyState < 2 || !v.videoWidth) return;
        c.width = v.videoWidth;
        c.height = v.videoHeight;
        const ctx = c.getContext('2d', { willReadFrequently: true });
        if (!ctx) return;
        ctx.drawImage(v, 0, 0);
        const image = ctx.getImageData(0, 0, c.width, c.height);
        const found = jsQR(image.data, image.width, image.height, { inversionAttempts: 'dontInvert' });
        if (!found?.data) return;
        const now = Date.now();
        if (last.current && last.current.code === found.data && now - last.current.at < 5000) return;
        last.current = { code: found.data, at: now };
        onCodeRef.current(found.data);
      }, 250);
    }
    void start();
    return () => {
      cancelled = true;
      window.clearInterval(timer);
      stream?.getTracks().forEach((t) => t.stop());
    };
  }, []);

  return (
    <div className="relative overflow-hidden rounded-xl bg-black">
      <video ref={video} muted playsInline className="aspect-video w-full object-cover" aria-label={t('cameraLabel')} />
      <canvas ref={canvas} className="hidden" />
      <p className="absolute inset-x-0 bottom-0 bg-black/60 p-2 text-center text-sm" role="status">
        {t(state)}
      </p>
    </div>
  );
}
