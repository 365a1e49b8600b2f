// Colours come from here, never from literals in components. NO_COLOR
// (no-color.org) selects the monochrome theme: severity then reads from the text and inverse
// video alone, which is why every coloured fact is also written out in words.

import type { SeverityLevel } from '../src/domain/severity.js';

export interface Theme {
  name: 'colour' | 'mono';
  /** Undefined colour = the terminal's default. */
  severity: Record<SeverityLevel, { fg?: string; bg?: string }>;
  accent?: string;
  muted?: string;
  danger?: string;
  ok?: string;
  warn?: string;
  focusBorder?: string;
  border?: string;
  /** Header background for the mode: review is visibly different from a live session. */
  modeBg: Record<'live' | 'drill' | 'review', string | undefined>;
  /**
   * A session that reaches production (k9s per-context skins): its own header tag colour. The tag
   * always says PROD in words, so the monochrome theme shows it as inverse text.
   */
  prod: { fg?: string; bg?: string };
}

export const COLOUR: Theme = {
  name: 'colour',
  severity: {
    0: { fg: 'white', bg: 'red' },
    1: { fg: 'black', bg: 'yellow' },
    2: { fg: 'black', bg: 'cyan' },
    3: { fg: 'black', bg: 'gray' },
  },
  accent: 'cyan',
  muted: 'gray',
  danger: 'red',
  ok: 'green',
  warn: 'yellow',
  focusBorder: 'cyan',
  border: 'gray',
  modeBg: { live: 'red', drill: 'blue', review: 'magenta' },
  prod: { fg: 'black', bg: 'magentaBright' },
};

export const MONO: Theme = {
  name: 'mono',
  severity: { 0: {}, 1: {}, 2: {}, 3: {} },
  modeBg: { live: undefined, drill: undefined, review: undefined },
  prod: {},
};

export function themeFromEnv(env: NodeJS.ProcessEnv = process.env): Theme {
  // no-color.org: present and not empty disables colour.
  return env.NO_COLOR !== undefined && env.NO_COLOR !== '' ? MONO : COLOUR;
}
