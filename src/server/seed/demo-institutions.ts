/**
 * Two fictional demo institutions (a BC school district and an Ontario school board) with schools,
 * staff accounts and a realistic app inventory across the whole status lifecycle. Dates are computed
 * relative to the seeding date so that some agreements are always about to expire and some reviews
 * are always overdue. Pure data: the seeder (seed-demo.ts) turns it into rows.
 */
import {
  GRADE_LEVELS,
  type AgreementType,
  type Audience,
  type Country,
  type DataElement,
  type GradeLevel,
  type InstitutionKind,
  type InstitutionRole,
  type InventoryStatus,
} from '../../contracts/domain.js';

/** A school, referred to by `key` from inventory items. */
export interface DemoSchool {
  key: string;
  name: string;
  gradeFrom: GradeLevel;
  gradeTo: GradeLevel;
}

/** A staff account of a demo institution. */
export interface DemoUser {
  email: string;
  firstName: string;
  lastName: string;
  role: InstitutionRole;
  canApprove: boolean;
}

/** The agreement/DPA on an inventory item; dates are `YYYY-MM-DD`. */
export interface DemoAgreement {
  type: AgreementType;
  signed: boolean;
  signedOn: string | null;
  expiresOn: string | null;
  url: string | null;
}

/** Where an inventory item comes from: a catalog app (by slug) or a custom app. */
export type DemoItemSource = { kind: 'catalog'; slug: string } | { kind: 'custom'; name: string; vendor: string; website: string | null };

/** One inventory item; schools are school keys, the owner is a user email. */
export interface DemoInventoryItem {
  source: DemoItemSource;
  status: InventoryStatus;
  grades: GradeLevel[];
  schools: string[];
  audiences: Audience[];
  dataElements: DataElement[];
  purpose: string;
  ownerEmail: string | null;
  conditionsOfUse: string;
  agreement: DemoAgreement;
  nextReviewOn: string | null;
  notes: string;
  isPublic: boolean;
}

/** A demo institution with everything in it. */
export interface DemoInstitution {
  name: string;
  kind: InstitutionKind;
  country: Country;
  subdivision: string;
  region: 'ca' | 'us';
  gradeLevels: GradeLevel[];
  publicSlug: string;
  /** Email domains of single sign-on, seeded as verified (approved by the operator) so a site admin can add a provider at once. */
  ssoDomains: string[];
  schools: DemoSchool[];
  users: DemoUser[];
  inventory: DemoInventoryItem[];
}

/** Grades from `from` to `to` inclusive, in their natural order. */
export function gradeSpan(from: GradeLevel, to: GradeLevel): GradeLevel[] {
  return GRADE_LEVELS.slice(GRADE_LEVELS.indexOf(from), GRADE_LEVELS.indexOf(to) + 1);
}

/** `YYYY-MM-DD` of `now` shifted by `days` (UTC). */
export function dayOffset(now: Date, days: number): string {
  return new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

const NO_AGREEMENT: DemoAgreement = { type: 'none', signed: false, signedOn: null, expiresOn: null, url: null };

/** Builds the demo institutions, with dates relative to `now`. */
export function buildDemoInstitutions(now: Date): DemoInstitution[] {
  const day = (offset: number): string => dayOffset(now, offset);
  const signed = (type: AgreementType, signedDaysAgo: number, expiresInDays: number, url: string): DemoAgreement => ({
    type,
    signed: true,
    signedOn: day(-signedDaysAgo),
    expiresOn: day(expiresInDays),
    url,
  });
  const unsigned = (type: AgreementType, url: string | null = null): DemoAgreement => ({
    type,
    signed: false,
    signedOn: null,
    expiresOn: null,
    url,
  });
  const catalog = (slug: string): DemoItemSource => ({ kind: 'catalog', slug });
  const item = (
    fields: Pick<DemoInventoryItem, 'source' | 'status' | 'grades' | 'schools' | 'audiences' | 'dataElements' | 'purpose'> &
      Partial<DemoInventoryItem>,
  ): DemoInventoryItem => ({
    ownerEmail: null,
    conditionsOfUse: '',
    agreement: NO_AGREEMENT,
    nextReviewOn: null,
    notes: '',
    isPublic: fields.status === 'approved' || fields.status === 'approved_with_conditions',
    ...fields,
  });

  // ---------- Cedar Valley (BC) ----------
  const cvDocs = 'https://docs.cedarvalley.example/agreements';
  const cvSite = 'm.okafor@cedarvalley.example';
  const cvApprover = 'd.tsang@cedarvalley.example';
  const cvAdmin = 'a.sandhu@cedarvalley.example';
  const cvElem = ['alder', 'riverbend', 'kingfisher'];
  const cvSec = ['cvss', 'westridge'];
  const cvAll = [...cvElem, ...cvSec];

  const cedarValley: DemoInstitution = {
    name: 'Cedar Valley School District No. 99 (demo)',
    kind: 'district',
    country: 'CA',
    subdivision: 'BC',
    region: 'ca',
    gradeLevels: gradeSpan('K', '12'),
    publicSlug: 'cedar-valley-demo',
    ssoDomains: ['cedarvalley.example'],
    schools: [
      { key: 'alder', name: 'Alder Creek Elementary', gradeFrom: 'K', gradeTo: '7' },
      { key: 'riverbend', name: 'Riverbend Elementary', gradeFrom: 'K', gradeTo: '7' },
      { key: 'kingfisher', name: 'Kingfisher Elementary', gradeFrom: 'K', gradeTo: '7' },
      { key: 'cvss', name: 'Cedar Valley Secondary', gradeFrom: '8', gradeTo: '12' },
      { key: 'westridge', name: 'Westridge Secondary', gradeFrom: '8', gradeTo: '12' },
    ],
    users: [
      { email: cvSite, firstName: 'Marguerite', lastName: 'Okafor', role: 'site_admin', canApprove: false },
      { email: cvApprover, firstName: 'Daniel', lastName: 'Tsang', role: 'app_admin', canApprove: true },
      { email: cvAdmin, firstName: 'Anjali', lastName: 'Sandhu', role: 'app_admin', canApprove: false },
    ],
    inventory: [
      item({
        source: catalog('ledgerline-sis'),
        status: 'approved',
        grades: gradeSpan('K', '12'),
        schools: cvAll,
        audiences: ['students', 'employees', 'parents'],
        dataElements: [
          'name',
          'email',
          'student_id',
          'date_of_birth',
          'grade',
          'school',
          'class_roster',
          'home_address',
          'phone',
          'photo',
          'assessment_results',
          'attendance',
          'behaviour',
          'health',
          'special_education',
          'indigenous_identity',
          'gender',
          'family_information',
        ],
        purpose:
          'Student information system of record: enrolment, attendance, report cards and the parent portal; required by the Ministry.',
        ownerEmail: cvSite,
        agreement: signed('district_dpa', 900, 420, `${cvDocs}/ledgerline-sis-dpa.pdf`),
        nextReviewOn: day(210),
        notes: 'Provincial shared-services agreement. Data stays in Canada.',
      }),
      item({
        source: catalog('penwright-office'),
        status: 'approved',
        grades: gradeSpan('K', '12'),
        schools: cvAll,
        audiences: ['students', 'employees'],
        dataElements: [
          'name',
          'email',
          'username',
          'grade',
          'school',
          'class_roster',
          'student_work',
          'messages',
          'video',
          'voice',
          'free_text',
          'device_usage',
        ],
        purpose: 'District email, documents and video meetings for staff; documents and assignments for students.',
        ownerEmail: cvApprover,
        agreement: signed('vendor_dpa', 700, 28, `${cvDocs}/penwright-education-dpa.pdf`),
        nextReviewOn: day(20),
        notes: 'Renewal of the education agreement is with Purchasing; support access from the US and Ireland is covered by the PIA.',
      }),
      item({
        source: catalog('learnharbor'),
        status: 'approved_with_conditions',
        grades: gradeSpan('8', '12'),
        schools: cvSec,
        audiences: ['students', 'employees', 'parents'],
        dataElements: [
          'name',
          'email',
          'student_id',
          'grade',
          'class_roster',
          'student_work',
          'assessment_results',
          'messages',
          'free_text',
        ],
        purpose: 'Course sites, assignment submission and gradebook for secondary courses.',
        ownerEmail: cvApprover,
        conditionsOfUse:
          'Do not post grades or feedback in discussion forums. Parent observer accounts are created only through the district invitation, never by teachers.',
        agreement: signed('vendor_dpa', 500, 230, `${cvDocs}/learnharbor-dpa.pdf`),
        nextReviewOn: day(-15),
        notes: 'Annual review overdue: vendor announced a new US analytics subprocessor.',
      }),
      item({
        source: catalog('quillpath-reading'),
        status: 'approved_with_conditions',
        grades: gradeSpan('K', '7'),
        schools: cvElem,
        audiences: ['students'],
        dataElements: ['name', 'username', 'grade', 'class_roster', 'assessment_results', 'student_work', 'voice'],
        purpose: 'Levelled reading practice and fluency checks for primary and intermediate students.',
        ownerEmail: cvAdmin,
        conditionsOfUse:
          'Roster through the district sync only. Keep the "share my reading" feature off. Use first name and last initial only.',
        // Expires 60 days after seeding: the day's reminder digest names it (an agreement 60, 30 and 0 days before).
        agreement: signed('vendor_dpa', 320, 60, `${cvDocs}/quillpath-dpa.pdf`),
        nextReviewOn: day(40),
        notes: 'Voice recordings are deleted by the vendor at the end of each school year (confirmed in writing).',
      }),
      item({
        source: catalog('tallyloop-math'),
        status: 'approved',
        grades: gradeSpan('1', '7'),
        schools: cvElem,
        audiences: ['students'],
        dataElements: ['name', 'username', 'grade', 'class_roster', 'assessment_results', 'device_usage'],
        purpose: 'Adaptive math practice and progress monitoring for grades 1–7.',
        ownerEmail: cvAdmin,
        agreement: signed('vendor_dpa', 200, 530, `${cvDocs}/tallyloop-dpa.pdf`),
        nextReviewOn: day(165),
      }),
      item({
        source: catalog('numbrella-math-games'),
        status: 'approved_with_conditions',
        grades: gradeSpan('K', '5'),
        schools: ['alder', 'kingfisher'],
        audiences: ['students'],
        dataElements: ['name', 'username', 'class_roster', 'assessment_results', 'device_usage'],
        purpose: 'Number-sense games for early primary classrooms.',
        ownerEmail: cvAdmin,
        conditionsOfUse: 'Use first name and last initial only; students sign in with the class code. Do not upload photos as avatars.',
        agreement: unsigned('terms_of_service', 'https://numbrella.example/terms'),
        nextReviewOn: day(-40),
        notes: 'Data is stored in Australia; disclosure outside Canada assessed under FIPPA. Review overdue.',
      }),
      item({
        source: catalog('clipjot'),
        status: 'approved_with_conditions',
        grades: gradeSpan('K', '7'),
        schools: cvElem,
        audiences: ['students', 'parents'],
        dataElements: ['name', 'class_roster', 'video', 'voice', 'photo', 'student_work', 'messages'],
        purpose: 'Digital portfolios and learning journals shared with families.',
        ownerEmail: cvApprover,
        conditionsOfUse:
          'Use first name and last initial only. Do not post photos or video of students whose families opted out of media consent. Share only with verified family accounts.',
        agreement: signed('vendor_dpa', 420, 12, `${cvDocs}/clipjot-dpa.pdf`),
        nextReviewOn: day(-5),
        notes: 'Agreement expires soon; vendor has sent a renewal draft.',
      }),
      item({
        source: catalog('flipframe'),
        status: 'not_approved',
        grades: gradeSpan('8', '12'),
        schools: cvSec,
        audiences: ['students'],
        dataElements: ['name', 'email', 'class_roster', 'video', 'voice', 'student_work'],
        purpose: 'Video discussion prompts for secondary English and Social Studies.',
        ownerEmail: cvApprover,
        notes:
          'Vendor would not commit to deleting recordings at contract end, and automatic captions send voice data to an undisclosed subprocessor. Teachers directed to Clipjot instead.',
      }),
      item({
        source: catalog('quizbloom-live'),
        status: 'approved_with_conditions',
        grades: gradeSpan('3', '12'),
        schools: cvAll,
        audiences: ['students'],
        dataElements: ['username', 'assessment_results', 'device_usage'],
        purpose: 'Review games and quick whole-class checks for understanding.',
        ownerEmail: cvAdmin,
        conditionsOfUse: 'Students join with a nickname, never their full name. Do not create student accounts.',
        agreement: unsigned('terms_of_service', 'https://quizbloom.example/terms'),
        nextReviewOn: day(100),
      }),
      item({
        source: catalog('exitslip-formative'),
        status: 'in_review',
        grades: gradeSpan('4', '9'),
        schools: ['riverbend', 'kingfisher', 'cvss'],
        audiences: ['students'],
        dataElements: ['name', 'email', 'class_roster', 'assessment_results', 'student_work', 'voice'],
        purpose: 'Exit tickets and formative checks requested by the intermediate teaching team.',
        ownerEmail: cvAdmin,
        notes: 'Waiting for the vendor to answer how long voice responses are kept.',
      }),
      item({
        source: catalog('bytewren-coding'),
        status: 'approved',
        grades: gradeSpan('K', '12'),
        schools: cvAll,
        audiences: ['students'],
        dataElements: ['name', 'username', 'class_roster', 'student_work', 'assessment_results'],
        purpose: 'Coding and computational-thinking lessons (ADST curriculum).',
        ownerEmail: cvAdmin,
        agreement: signed('vendor_dpa', 260, 700, `${cvDocs}/bytewren-dpa.pdf`),
        nextReviewOn: day(300),
      }),
      item({
        source: catalog('sproutlab-science'),
        status: 'requested',
        grades: gradeSpan('5', '7'),
        schools: ['riverbend'],
        audiences: ['students'],
        dataElements: ['name', 'username', 'grade', 'class_roster', 'student_work', 'assessment_results'],
        purpose: 'Simulations for the grade 6 ecosystems unit.',
        notes: 'Requested by the grade 6 team at Riverbend Elementary.',
      }),
      item({
        source: catalog('orbitarium-virtual-labs'),
        status: 'in_review',
        grades: gradeSpan('10', '12'),
        schools: cvSec,
        audiences: ['students'],
        dataElements: ['name', 'email', 'class_roster', 'student_work', 'assessment_results'],
        purpose: 'Virtual labs for Chemistry 11–12 and Physics 11–12 when lab space is unavailable.',
        ownerEmail: cvApprover,
        agreement: unsigned('vendor_dpa', `${cvDocs}/drafts/orbitarium-dpa-draft.pdf`),
        notes: 'Data stored in Germany; checking the vendor’s subprocessor list and breach-notice window.',
      }),
      item({
        source: catalog('palettery-studio'),
        status: 'approved_with_conditions',
        grades: gradeSpan('4', '12'),
        schools: cvAll,
        audiences: ['students', 'employees'],
        dataElements: ['name', 'email', 'student_work', 'device_usage'],
        purpose: 'Posters, infographics and presentations.',
        ownerEmail: cvAdmin,
        conditionsOfUse:
          'Sign in with district accounts only. Do not upload photos of students, and do not publish designs as public templates.',
        agreement: unsigned('terms_of_service', 'https://palettery.example/terms'),
        nextReviewOn: day(120),
      }),
      item({
        source: catalog('storyloom'),
        status: 'approved',
        grades: gradeSpan('K', '7'),
        schools: cvElem,
        audiences: ['students'],
        dataElements: ['name', 'email', 'class_roster', 'student_work', 'photo', 'voice'],
        purpose: 'Students write, illustrate and narrate digital books.',
        ownerEmail: cvAdmin,
        agreement: signed('vendor_dpa', 150, 580, `${cvDocs}/storyloom-dpa.pdf`),
        nextReviewOn: day(215),
      }),
      item({
        source: catalog('kindred-iep'),
        status: 'approved',
        grades: gradeSpan('K', '12'),
        schools: cvAll,
        audiences: ['students', 'employees', 'parents'],
        dataElements: [
          'name',
          'student_id',
          'date_of_birth',
          'grade',
          'school',
          'assessment_results',
          'behaviour',
          'health',
          'special_education',
          'family_information',
          'free_text',
        ],
        purpose: 'Individual Education Plans and case-team records for students with designations.',
        ownerEmail: cvSite,
        agreement: signed('district_dpa', 380, 900, `${cvDocs}/kindred-iep-dpa.pdf`),
        nextReviewOn: day(180),
        notes: 'Access limited to case managers, school-based teams and district Inclusive Education staff.',
      }),
      item({
        source: catalog('hedgerow-web-filter'),
        status: 'approved',
        grades: gradeSpan('K', '12'),
        schools: cvAll,
        audiences: ['students', 'employees'],
        dataElements: ['email', 'username', 'school', 'grade', 'browsing_history', 'ip_address', 'device_usage'],
        purpose: 'Web filtering required under the district’s acceptable-use policy and CIPA-equivalent practice.',
        ownerEmail: cvApprover,
        agreement: signed('vendor_dpa', 690, 45, `${cvDocs}/hedgerow-dpa.pdf`),
        nextReviewOn: day(40),
        notes: 'Browsing logs kept 30 days. Renewal due this term.',
        isPublic: true,
      }),
      item({
        source: catalog('watchwell'),
        status: 'not_approved',
        grades: gradeSpan('6', '12'),
        schools: cvAll,
        audiences: ['students'],
        dataElements: ['name', 'email', 'messages', 'student_work', 'browsing_history', 'behaviour', 'health'],
        purpose: 'Proposed monitoring of student accounts for self-harm and violence indicators.',
        ownerEmail: cvSite,
        notes:
          'Continuous scanning of student messages judged disproportionate to the purpose; alerts would be processed in India. The counselling referral process is used instead.',
      }),
      item({
        source: catalog('ponderbot'),
        status: 'in_review',
        grades: gradeSpan('8', '12'),
        schools: ['cvss'],
        audiences: ['students'],
        dataElements: ['name', 'email', 'grade', 'class_roster', 'messages', 'free_text', 'student_work'],
        purpose: 'Pilot of an AI math tutor in two grade 9 classes.',
        ownerEmail: cvApprover,
        notes: 'Screening flagged AI use. Asked the vendor to confirm chats are not used to train models.',
      }),
      item({
        source: catalog('draftwing-writing-coach'),
        status: 'requested',
        grades: gradeSpan('10', '12'),
        schools: ['westridge'],
        audiences: ['students'],
        dataElements: ['name', 'email', 'class_roster', 'student_work', 'free_text'],
        purpose: 'AI feedback on essay drafts in English 10–12.',
        notes: 'Requested by the Westridge English department.',
      }),
      item({
        source: catalog('busbeacon'),
        status: 'approved',
        grades: gradeSpan('K', '12'),
        schools: cvAll,
        audiences: ['students', 'parents'],
        dataElements: ['name', 'student_id', 'school', 'grade', 'home_address', 'phone', 'precise_location'],
        purpose: 'Bus locations for families and ridership checks at boarding for student safety.',
        ownerEmail: cvSite,
        agreement: signed('district_dpa', 300, 300, `${cvDocs}/busbeacon-dpa.pdf`),
        nextReviewOn: day(250),
        notes: 'Location is the bus’s, not the student’s phone.',
      }),
      item({
        source: catalog('handsup-volunteer-hub'),
        status: 'approved',
        grades: [],
        schools: cvAll,
        audiences: ['volunteers', 'employees'],
        dataElements: ['name', 'email', 'phone', 'government_id'],
        purpose: 'Volunteer scheduling and tracking of criminal record check status.',
        ownerEmail: cvSite,
        agreement: signed('vendor_dpa', 410, 320, `${cvDocs}/handsup-dpa.pdf`),
        nextReviewOn: day(140),
        isPublic: false,
      }),
      item({
        source: catalog('tidewage-payroll'),
        status: 'approved',
        grades: [],
        schools: [],
        audiences: ['employees'],
        dataElements: ['name', 'email', 'home_address', 'date_of_birth', 'government_id', 'financial', 'employment'],
        purpose: 'Payroll and tax slips for all district employees.',
        ownerEmail: cvSite,
        agreement: signed('district_dpa', 1460, -20, `${cvDocs}/tidewage-master-agreement.pdf`),
        nextReviewOn: day(-30),
        notes: 'Master agreement expired; Finance is negotiating the renewal. Service continues under the holdover clause.',
        isPublic: false,
      }),
      item({
        source: catalog('keelhaven-hr'),
        status: 'approved',
        grades: [],
        schools: [],
        audiences: ['employees'],
        dataElements: ['name', 'email', 'phone', 'home_address', 'date_of_birth', 'employment'],
        purpose: 'Human-resources records, postings and leave for district staff.',
        ownerEmail: cvSite,
        agreement: signed('vendor_dpa', 540, 190, `${cvDocs}/keelhaven-dpa.pdf`),
        nextReviewOn: day(120),
        isPublic: false,
      }),
      item({
        source: catalog('typetrek'),
        status: 'retired',
        grades: gradeSpan('3', '7'),
        schools: cvElem,
        audiences: ['students'],
        dataElements: ['name', 'username', 'class_roster', 'assessment_results'],
        purpose: 'Keyboarding practice.',
        ownerEmail: cvAdmin,
        notes:
          'Retired at the end of last school year; keyboarding is now taught with Bytewren. Vendor confirmed deletion of student accounts.',
      }),
      item({
        source: catalog('relaywise'),
        status: 'retired',
        grades: gradeSpan('K', '7'),
        schools: cvElem,
        audiences: ['parents', 'employees'],
        dataElements: ['name', 'email', 'phone', 'class_roster', 'messages'],
        purpose: 'Teacher–family messaging.',
        ownerEmail: cvApprover,
        agreement: unsigned('terms_of_service', 'https://relaywise.example/terms'),
        notes: 'Replaced by the Ledgerline parent portal messaging.',
      }),
      item({
        source: {
          kind: 'custom',
          name: 'CV Course Planner',
          vendor: 'Cedar Valley SD Information Technology',
          website: 'https://courses.cedarvalley.example',
        },
        status: 'approved',
        grades: gradeSpan('8', '12'),
        schools: cvSec,
        audiences: ['students', 'employees'],
        dataElements: ['name', 'student_id', 'grade', 'school', 'free_text'],
        purpose: 'In-house course selection tool for secondary students; counsellors approve selections.',
        ownerEmail: cvApprover,
        nextReviewOn: day(365),
        notes: 'Built and hosted by the district on its own servers in Canada.',
      }),
      item({
        source: { kind: 'custom', name: 'Rinkside Team Manager', vendor: 'Rinkside Apps Inc.', website: 'https://rinkside.example' },
        status: 'requested',
        grades: gradeSpan('8', '12'),
        schools: ['westridge'],
        audiences: ['students', 'parents', 'volunteers'],
        dataElements: ['name', 'email', 'phone', 'photo', 'health'],
        purpose: 'Schedules, rosters and emergency contacts for school sports teams.',
        notes: 'Requested by the Westridge athletic director; coaches already use the free version.',
      }),
    ],
  };

  // ---------- Lakeshore (ON) ----------
  const lkDocs = 'https://board.lakeshore.example/privacy/agreements';
  const lkSite = 'h.karimi@lakeshore.example';
  const lkApprover = 's.mcallister@lakeshore.example';
  const lkAdmin = 't.kowalczyk@lakeshore.example';
  const lkElem = ['harbourview', 'willowbrook', 'sandpiper'];
  const lkSec = ['lci', 'northgate'];
  const lkK12 = [...lkElem, ...lkSec];

  const lakeshore: DemoInstitution = {
    name: 'Lakeshore District School Board (demo)',
    kind: 'board',
    country: 'CA',
    subdivision: 'ON',
    region: 'ca',
    gradeLevels: gradeSpan('JK', 'ADULT'),
    publicSlug: 'lakeshore-demo',
    ssoDomains: ['lakeshore.example'],
    schools: [
      { key: 'harbourview', name: 'Harbourview Public School', gradeFrom: 'JK', gradeTo: '8' },
      { key: 'willowbrook', name: 'Willowbrook Public School', gradeFrom: 'JK', gradeTo: '8' },
      { key: 'sandpiper', name: 'Sandpiper Public School', gradeFrom: 'JK', gradeTo: '6' },
      { key: 'lci', name: 'Lakeshore Collegiate Institute', gradeFrom: '9', gradeTo: '12' },
      { key: 'northgate', name: 'Northgate Secondary School', gradeFrom: '9', gradeTo: '12' },
      { key: 'adult', name: 'Lakeshore Adult & Continuing Education Centre', gradeFrom: 'ADULT', gradeTo: 'ADULT' },
    ],
    users: [
      { email: lkSite, firstName: 'Hamid', lastName: 'Karimi', role: 'site_admin', canApprove: false },
      { email: lkApprover, firstName: 'Siobhan', lastName: 'McAllister', role: 'app_admin', canApprove: true },
      { email: lkAdmin, firstName: 'Tomasz', lastName: 'Kowalczyk', role: 'app_admin', canApprove: false },
    ],
    inventory: [
      item({
        source: catalog('rosterpoint-sis'),
        status: 'approved',
        grades: gradeSpan('JK', 'ADULT'),
        schools: [...lkK12, 'adult'],
        audiences: ['students', 'employees', 'parents'],
        dataElements: [
          'name',
          'email',
          'student_id',
          'date_of_birth',
          'grade',
          'school',
          'class_roster',
          'home_address',
          'phone',
          'assessment_results',
          'attendance',
          'behaviour',
          'health',
          'special_education',
          'gender',
          'family_information',
        ],
        purpose: 'Student information system: enrolment, timetables, attendance, report cards and OnSIS reporting.',
        ownerEmail: lkSite,
        agreement: signed('district_dpa', 1000, 460, `${lkDocs}/rosterpoint-master-agreement.pdf`),
        nextReviewOn: day(200),
        notes: 'US storage accepted after the PIA, with contractual MFIPPA safeguards and encryption at rest.',
      }),
      item({
        source: catalog('northstack-workspace'),
        status: 'approved_with_conditions',
        grades: gradeSpan('JK', 'ADULT'),
        schools: [...lkK12, 'adult'],
        audiences: ['students', 'employees'],
        dataElements: [
          'name',
          'email',
          'username',
          'school',
          'class_roster',
          'student_work',
          'messages',
          'video',
          'voice',
          'free_text',
          'device_usage',
        ],
        purpose: 'Board email, documents, classroom assignments and video meetings.',
        ownerEmail: lkApprover,
        conditionsOfUse:
          'Students in JK–3 use teacher-managed accounts only. Do not share documents outside the board domain. Chat is off for elementary students.',
        agreement: signed('vendor_dpa', 720, 25, `${lkDocs}/northstack-education-dpa.pdf`),
        nextReviewOn: day(-10),
        notes: 'Renewal due within the month; review overdue pending the vendor’s new AI features notice.',
      }),
      item({
        source: catalog('classmere'),
        status: 'approved',
        grades: gradeSpan('JK', '8'),
        schools: lkElem,
        audiences: ['students', 'parents'],
        dataElements: ['name', 'email', 'grade', 'class_roster', 'student_work', 'assessment_results', 'photo'],
        purpose: 'Digital classroom and portfolios for elementary students, with weekly family summaries.',
        ownerEmail: lkAdmin,
        agreement: signed('vendor_dpa', 330, 400, `${lkDocs}/classmere-dpa.pdf`),
        nextReviewOn: day(160),
      }),
      item({
        source: catalog('phonicsfox'),
        status: 'approved_with_conditions',
        grades: gradeSpan('JK', '2'),
        schools: lkElem,
        audiences: ['students'],
        dataElements: ['name', 'username', 'grade', 'class_roster', 'assessment_results', 'device_usage'],
        purpose: 'Phonics practice for early readers.',
        ownerEmail: lkAdmin,
        conditionsOfUse: 'Teachers enter first names only. Keep the voice-recording feature switched off.',
        agreement: unsigned('terms_of_service', 'https://phonicsfox.example/terms'),
        nextReviewOn: day(90),
      }),
      item({
        source: catalog('tallyloop-math'),
        status: 'approved',
        grades: gradeSpan('1', '8'),
        schools: lkElem,
        audiences: ['students'],
        dataElements: ['name', 'username', 'grade', 'class_roster', 'assessment_results', 'device_usage'],
        purpose: 'Math practice aligned to the Ontario math curriculum.',
        ownerEmail: lkAdmin,
        agreement: signed('vendor_dpa', 90, 640, `${lkDocs}/tallyloop-dpa.pdf`),
        nextReviewOn: day(275),
      }),
      item({
        source: catalog('parlons-plus'),
        status: 'approved',
        grades: gradeSpan('JK', '12'),
        schools: lkK12,
        audiences: ['students'],
        dataElements: ['name', 'username', 'grade', 'class_roster', 'assessment_results', 'student_work', 'voice'],
        purpose: 'French Immersion and Core French resources.',
        ownerEmail: lkAdmin,
        agreement: signed('vendor_dpa', 680, 55, `${lkDocs}/parlons-plus-dpa.pdf`),
        nextReviewOn: day(30),
      }),
      item({
        source: catalog('benchmarq-assess'),
        status: 'in_review',
        grades: gradeSpan('1', '8'),
        schools: lkElem,
        audiences: ['students'],
        dataElements: ['name', 'student_id', 'date_of_birth', 'grade', 'school', 'class_roster', 'assessment_results', 'special_education'],
        purpose: 'Proposed board-wide early reading and math screening.',
        ownerEmail: lkApprover,
        agreement: unsigned('vendor_dpa', `${lkDocs}/drafts/benchmarq-dpa-draft.pdf`),
        notes: 'Reviewing the flow of IEP accommodation data and US processing.',
      }),
      item({
        source: catalog('relaywise'),
        status: 'approved_with_conditions',
        grades: gradeSpan('JK', '8'),
        schools: lkElem,
        audiences: ['parents', 'employees'],
        dataElements: ['name', 'email', 'phone', 'class_roster', 'messages', 'photo'],
        purpose: 'Two-way messaging between teachers and families, with translation.',
        ownerEmail: lkApprover,
        conditionsOfUse:
          'Message families only through the app, never from a personal phone. Do not send photos in which other students can be identified.',
        agreement: signed('vendor_dpa', 250, 480, `${lkDocs}/relaywise-dpa.pdf`),
        nextReviewOn: day(115),
      }),
      item({
        source: catalog('lingolark'),
        status: 'not_approved',
        grades: [...gradeSpan('9', '12'), 'ADULT'],
        schools: [...lkSec, 'adult'],
        audiences: ['students'],
        dataElements: ['name', 'email', 'class_roster', 'assessment_results', 'voice'],
        purpose: 'International languages practice.',
        ownerEmail: lkApprover,
        notes:
          'The free tier shows advertising and the vendor uses learners’ voice recordings to improve its speech models. No education agreement offered.',
      }),
      item({
        source: catalog('askaroo'),
        status: 'requested',
        grades: [],
        schools: [],
        audiences: ['employees'],
        dataElements: ['name', 'email', 'free_text'],
        purpose: 'Drafting lesson plans and report-card comments.',
        notes: 'Requested by the Learning Technology team. Guidance will be needed that no student names are entered.',
      }),
      item({
        source: catalog('stackwren-library'),
        status: 'approved',
        grades: gradeSpan('JK', '12'),
        schools: lkK12,
        audiences: ['students', 'employees'],
        dataElements: ['name', 'student_id', 'grade', 'school', 'class_roster'],
        purpose: 'Library catalogue and circulation in every school library.',
        ownerEmail: lkAdmin,
        agreement: signed('district_dpa', 400, 800, `${lkDocs}/stackwren-dpa.pdf`),
        nextReviewOn: day(330),
      }),
      item({
        source: catalog('compassly'),
        status: 'approved_with_conditions',
        grades: [...gradeSpan('7', '12'), 'ADULT'],
        schools: [...lkK12, 'adult'],
        audiences: ['students'],
        dataElements: ['name', 'email', 'student_id', 'grade', 'school', 'assessment_results', 'free_text'],
        purpose: 'Individual Pathways Plans, course selection and career exploration.',
        ownerEmail: lkApprover,
        conditionsOfUse:
          'The optional demographic questions stay switched off. Do not enter the OEN or other identifiers in free-text fields.',
        agreement: signed('vendor_dpa', 560, 170, `${lkDocs}/compassly-dpa.pdf`),
        nextReviewOn: day(-45),
        notes: 'Review overdue.',
      }),
      item({
        source: catalog('originly'),
        status: 'in_review',
        grades: gradeSpan('9', '12'),
        schools: lkSec,
        audiences: ['students'],
        dataElements: ['name', 'email', 'student_id', 'class_roster', 'student_work'],
        purpose: 'Academic-integrity checks for secondary assignments.',
        ownerEmail: lkApprover,
        notes: 'Asked the vendor to exclude board submissions from its shared repository; UK and India processing under review.',
      }),
      item({
        source: catalog('moodnest'),
        status: 'retired',
        grades: gradeSpan('4', '8'),
        schools: ['harbourview'],
        audiences: ['students'],
        dataElements: ['name', 'grade', 'class_roster', 'health', 'behaviour', 'free_text'],
        purpose: 'Daily well-being check-ins (pilot).',
        ownerEmail: lkApprover,
        notes: 'Pilot ended: alerts could not be monitored after school hours. Vendor deletion certificate on file.',
      }),
      item({
        source: catalog('duesly'),
        status: 'needs_review',
        grades: gradeSpan('JK', '12'),
        schools: lkK12,
        audiences: ['parents'],
        dataElements: ['name', 'email', 'student_id', 'school', 'grade', 'financial'],
        purpose: 'Online payment of school fees and trips by families.',
        ownerEmail: lkSite,
        agreement: signed('district_dpa', 1100, -5, `${lkDocs}/duesly-agreement.pdf`),
        nextReviewOn: day(-5),
        notes: 'Agreement expired last week: back for review; renewal with Finance.',
      }),
      item({
        source: catalog('coverly'),
        status: 'approved',
        grades: [],
        schools: [...lkK12, 'adult'],
        audiences: ['employees'],
        dataElements: ['name', 'email', 'phone', 'school', 'employment'],
        purpose: 'Staff absence reporting and occasional-teacher dispatch.',
        ownerEmail: lkSite,
        agreement: signed('vendor_dpa', 600, 130, `${lkDocs}/coverly-dpa.pdf`),
        nextReviewOn: day(95),
        notes: 'Absence reasons are not recorded (health data excluded by configuration).',
        isPublic: false,
      }),
      item({
        source: {
          kind: 'custom',
          name: 'Lakeshore Attendance Kiosk',
          vendor: 'Lakeshore DSB Information Technology Services',
          website: null,
        },
        status: 'approved',
        grades: ['ADULT'],
        schools: ['adult'],
        audiences: ['students'],
        dataElements: ['name', 'student_id', 'attendance'],
        purpose: 'Sign-in kiosk for adult learners, feeding attendance to the SIS.',
        ownerEmail: lkAdmin,
        nextReviewOn: day(400),
        notes: 'Developed in-house; runs on board servers.',
      }),
      item({
        source: {
          kind: 'custom',
          name: 'Trailhead Outdoor Ed Bookings',
          vendor: 'Trailhead Outdoor Centres Inc.',
          website: 'https://trailhead-outdoor.example',
        },
        status: 'requested',
        grades: gradeSpan('4', '8'),
        schools: ['harbourview', 'willowbrook'],
        audiences: ['students', 'parents', 'volunteers'],
        dataElements: ['name', 'date_of_birth', 'health', 'phone', 'family_information'],
        purpose: 'Overnight outdoor-education trip registration, medical forms and chaperone lists.',
        notes: 'Requested by Harbourview for the spring grade 7 trip.',
      }),
      item({
        source: { kind: 'custom', name: 'Makerlane 3D Print Queue', vendor: 'Makerlane Studio', website: 'https://makerlane.example' },
        status: 'in_review',
        grades: gradeSpan('9', '12'),
        schools: ['northgate'],
        audiences: ['students', 'employees'],
        dataElements: ['name', 'email', 'student_work'],
        purpose: 'Queue and track student 3D-print jobs in the technology shop.',
        ownerEmail: lkAdmin,
        agreement: unsigned('terms_of_service', 'https://makerlane.example/terms'),
      }),
    ],
  };

  return [cedarValley, lakeshore];
}
