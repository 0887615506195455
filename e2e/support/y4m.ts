import { writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';

/**
 * Writes a Y4M video (what Chromium's --use-file-for-fake-video-capture plays) showing `text`
 * as a QR code on white, so the page's camera sees a customer holding up their code.
 */
export async function writeQrVideo(file: string, text: string, { width = 640, height = 480, frames = 10 } = {}) {
  const png = PNG.sync.read(
    await QRCode.toBuffer(text, {
      type: 'png',
      margin: 4,
      width: Math.min(width, height) - 40,
      errorCorrectionLevel: 'M',
    }),
  );
  const y = Buffer.alloc(width * height, 235); // white
  const ox = Math.floor((width - png.width) / 2);
  const oy = Math.floor((height - png.height) / 2);
  for (let row = 0; row < png.height; row++) {
    for (let col = 0; col < png.width; col++) {
      const i = (row * png.width + col) * 4;
      const luma = 0.299 * png.data[i]! + 0.587 * png.data[i + 1]! + 0.114 * png.data[i + 2]!;
      y[(oy + row) * width + ox + col] = Math.round(16 + (luma * 219) / 255);
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2), 128); // no colour
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, chroma, chroma]);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`);
  writeFileSync(file, Buffer.concat([header, ...Array.from({ length: frames }, () => frame)]));
}
