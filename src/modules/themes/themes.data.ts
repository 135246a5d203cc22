/** The themes a new installation starts with; admins add and merge from here. Welsh labels await review. */
export const DEFAULT_THEMES: ReadonlyArray<{ key: string; en: string; cy: string }> = [
  { key: 'attendance', en: 'Attendance', cy: 'Presenoldeb' },
  { key: 'exclusions', en: 'Exclusions', cy: 'Gwaharddiadau' },
  { key: 'additional-learning-needs', en: 'Additional learning needs', cy: 'Anghenion dysgu ychwanegol' },
  { key: 'welsh-medium-education', en: 'Welsh-medium education', cy: 'Addysg cyfrwng Cymraeg' },
  { key: 'poverty-and-attainment', en: 'Poverty and attainment', cy: 'Tlodi a chyrhaeddiad' },
  { key: 'self-evaluation', en: 'Self-evaluation and improvement planning', cy: 'Hunanarfarnu a chynllunio gwelliant' },
  { key: 'school-improvement', en: 'School improvement support', cy: 'Cymorth gwella ysgolion' },
  { key: 'safeguarding', en: 'Safeguarding', cy: 'Diogelu' },
  { key: 'leadership', en: 'Leadership', cy: 'Arweinyddiaeth' },
  { key: 'use-of-resources', en: 'Use of resources', cy: 'Defnyddio adnoddau' },
]
