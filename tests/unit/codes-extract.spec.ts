// Unit tests of taking a one-time code out of a message: MIME parsed by postal-mime, SMS records,
// the address check, and which run of digits is the code.
import { test, expect } from '@playwright/test';
import { addressedTo, extractCode, parseMime, parseRecordText } from '../../src/codes/extract.js';

test('the code is the 6-8 digit run after the word code', () => {
  expect(extractCode('Your verification code is 12345678.')).toBe('12345678');
  expect(extractCode('Order 1234567 placed. Your code: 654321')).toBe('654321');
  expect(extractCode('Call 555-0100; no code here')).toBeUndefined();
  expect(extractCode('123456789 is too long, 12345 too short')).toBeUndefined();
});

test('a quoted-printable MIME message yields its recipients and text', async () => {
  const raw = [
    'From: no-reply@verificationemail.com',
    'To: "Alice" <Alice@Example.com>',
    'Subject: Your verification code',
    'Date: Sun, 06 Dec 2026 23:00:00 +0000',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    'Your verification code is =3D 48151623.',
    '',
  ].join('\r\n');
  const m = await parseMime(raw);
  expect(m.to).toEqual(['alice@example.com']);
  expect(extractCode(m.text)).toBe('48151623');
  expect(addressedTo(m, 'alice@example.com')).toBe(true);
  expect(addressedTo(m, 'bob@example.com')).toBe(false);
});

test('SMS JSON lines are matched by phone digits', async () => {
  const msgs = await parseRecordText('{"phoneNumber":"+15550001234","message":"Your authentication code is 123456.","timestamp":"2026-12-06T23:00:00Z"}\n{"phoneNumber":"+15550009999","message":"Your authentication code is 999999."}\n');
  expect(msgs).toHaveLength(2);
  expect(addressedTo(msgs[0]!, '+1 555 000 1234')).toBe(true);
  expect(addressedTo(msgs[1]!, '+15550001234')).toBe(false);
});
