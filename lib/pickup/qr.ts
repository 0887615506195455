import QRCode from 'qrcode';

/** Crisp, high-contrast SVG of the token, with a quiet zone kiosk cameras need. */
export function pickupQrSvg(token: string): Promise<string> {
  return QRCode.toString(token, {
    type: 'svg',
    errorCorrectionLevel: 'M',
    margin: 4,
    color: { dark: '#000000', light: '#ffffff' },
  });
}
