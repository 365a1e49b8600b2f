// US federal holidays as observed (5 U.S.C. 6103; a Saturday holiday is observed the Friday
// before, a Sunday one the Monday after), for the SEC's business-day count. A fixed table rather
// than rules, because the list changes by statute (Juneteenth was added in 2021) and a reviewer
// can check a table against opm.gov at a glance. It covers 2025–2028; outside it only weekends are
// skipped and the clock says so. Inauguration Day (DC-area only) is not included.

const TABLE: Record<number, readonly string[]> = {
  2025: [
    '2025-01-01',
    '2025-01-20',
    '2025-02-17',
    '2025-05-26',
    '2025-06-19',
    '2025-07-04',
    '2025-09-01',
    '2025-10-13',
    '2025-11-11',
    '2025-11-27',
    '2025-12-25',
  ],
  2026: [
    '2026-01-01',
    '2026-01-19',
    '2026-02-16',
    '2026-05-25',
    '2026-06-19',
    '2026-07-03',
    '2026-09-07',
    '2026-10-12',
    '2026-11-11',
    '2026-11-26',
    '2026-12-25',
  ],
  // 1 Jan 2028 is a Saturday: New Year's Day 2028 is observed on Friday 31 Dec 2027.
  2027: [
    '2027-01-01',
    '2027-01-18',
    '2027-02-15',
    '2027-05-31',
    '2027-06-18',
    '2027-07-05',
    '2027-09-06',
    '2027-10-11',
    '2027-11-11',
    '2027-11-25',
    '2027-12-24',
    '2027-12-31',
  ],
  2028: [
    '2028-01-17',
    '2028-02-21',
    '2028-05-29',
    '2028-06-19',
    '2028-07-04',
    '2028-09-04',
    '2028-10-09',
    '2028-11-10',
    '2028-11-23',
    '2028-12-25',
  ],
};

export const US_HOLIDAY_YEARS = { first: 2025, last: 2028 } as const;

const ALL = new Set(Object.values(TABLE).flat());

/** Every observed holiday in the table (YYYY-MM-DD). */
export function usFederalHolidays(): string[] {
  return [...ALL].sort();
}

/** Whether a calendar date (YYYY-MM-DD) is an observed US federal holiday in the table. */
export function isUsFederalHoliday(date: string): boolean {
  return ALL.has(date);
}

/** Whether the table knows the holidays of the date's year. */
export function holidaysKnown(date: string): boolean {
  const y = Number(date.slice(0, 4));
  return y >= US_HOLIDAY_YEARS.first && y <= US_HOLIDAY_YEARS.last;
}
