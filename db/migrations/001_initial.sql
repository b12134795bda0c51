-- provmap schema v1. Money is integer pence; dates are ISO text (YYYY-MM-DD).
-- Every editable row has a `version` for optimistic locking between staff.

CREATE TABLE school (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    name            TEXT NOT NULL CHECK (length(name) > 0),
    urn             TEXT NOT NULL DEFAULT '',
    academic_year   TEXT NOT NULL,
    threshold_pence INTEGER NOT NULL DEFAULT 600000 CHECK (threshold_pence >= 0),
    oncost_percent  TEXT NOT NULL DEFAULT '0',
    passport_dir    TEXT NOT NULL DEFAULT '',
    logo            BLOB,
    library_version INTEGER NOT NULL DEFAULT 0,
    version         INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE term (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL,
    start   TEXT NOT NULL,
    end     TEXT NOT NULL CHECK (end >= start),
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE closure (
    day     TEXT PRIMARY KEY,
    reason  TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE funding_stream (
    code                    TEXT PRIMARY KEY,
    name                    TEXT NOT NULL,
    budget_pence            INTEGER NOT NULL DEFAULT 0 CHECK (budget_pence >= 0),
    counts_toward_threshold INTEGER NOT NULL DEFAULT 0 CHECK (counts_toward_threshold IN (0, 1)),
    version                 INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE staff (
    id                TEXT PRIMARY KEY,
    name              TEXT NOT NULL,
    role              TEXT NOT NULL DEFAULT 'TA',
    hourly_rate_pence INTEGER NOT NULL CHECK (hourly_rate_pence >= 0),
    username          TEXT UNIQUE,
    version           INTEGER NOT NULL DEFAULT 1
);

-- Census need types are data: a new census code is a row, not a code change.
CREATE TABLE need_type (
    code        TEXT PRIMARY KEY,
    label       TEXT NOT NULL,
    plain       TEXT NOT NULL,
    sort_order  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE flag_type (
    code  TEXT PRIMARY KEY,
    label TEXT NOT NULL
);

CREATE TABLE pupil (
    upn                TEXT PRIMARY KEY,
    forename           TEXT NOT NULL,
    surname            TEXT NOT NULL,
    preferred_forename TEXT NOT NULL DEFAULT '',
    preferred_surname  TEXT NOT NULL DEFAULT '',
    dob                TEXT,
    sex                TEXT NOT NULL DEFAULT '',
    year_group         INTEGER,
    reg_group          TEXT NOT NULL DEFAULT '',
    sen_status         TEXT NOT NULL DEFAULT 'N' CHECK (sen_status IN ('N', 'K', 'E', 'S')),
    left_on            TEXT,
    liked_admired      TEXT NOT NULL DEFAULT '',
    important_to_me    TEXT NOT NULL DEFAULT '',
    helps              TEXT NOT NULL DEFAULT '',
    does_not_help      TEXT NOT NULL DEFAULT '',
    strengths          TEXT NOT NULL DEFAULT '',
    notes              TEXT NOT NULL DEFAULT '',
    photo              BLOB,
    version            INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX pupil_status ON pupil (sen_status);

CREATE TABLE pupil_need (
    upn  TEXT NOT NULL REFERENCES pupil (upn) ON DELETE CASCADE,
    rank INTEGER NOT NULL CHECK (rank >= 1),
    code TEXT NOT NULL REFERENCES need_type (code),
    PRIMARY KEY (upn, rank),
    UNIQUE (upn, code)
);

CREATE TABLE pupil_flag (
    upn  TEXT NOT NULL REFERENCES pupil (upn) ON DELETE CASCADE,
    flag TEXT NOT NULL REFERENCES flag_type (code),
    PRIMARY KEY (upn, flag)
);

CREATE TABLE intervention (
    name                      TEXT PRIMARY KEY,
    area                      TEXT NOT NULL CHECK (area IN ('CL', 'CI', 'SEMH', 'SP')),
    description               TEXT NOT NULL DEFAULT '',
    default_minutes           INTEGER NOT NULL CHECK (default_minutes > 0),
    default_sessions_per_week INTEGER NOT NULL CHECK (default_sessions_per_week > 0),
    default_group_size        INTEGER NOT NULL CHECK (default_group_size > 0),
    default_role              TEXT NOT NULL DEFAULT 'TA',
    phase                     TEXT NOT NULL DEFAULT 'all',
    -- 'library' rows came from db/seed; 'school' rows the school wrote.
    -- edited = 1 once the school changes a library row: updates never overwrite it.
    source                    TEXT NOT NULL DEFAULT 'school' CHECK (source IN ('library', 'school')),
    edited                    INTEGER NOT NULL DEFAULT 0,
    version                   INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE provision (
    id                   TEXT PRIMARY KEY,
    intervention         TEXT NOT NULL REFERENCES intervention (name) ON UPDATE CASCADE,
    minutes              INTEGER NOT NULL CHECK (minutes > 0),
    sessions_per_week    INTEGER NOT NULL CHECK (sessions_per_week > 0),
    start                TEXT,
    end                  TEXT,
    weeks                INTEGER CHECK (weeks IS NULL OR weeks > 0),
    funding_stream       TEXT NOT NULL REFERENCES funding_stream (code) ON UPDATE CASCADE,
    resource_cost_pence  INTEGER NOT NULL DEFAULT 0 CHECK (resource_cost_pence >= 0),
    per_pupil_cost_pence INTEGER NOT NULL DEFAULT 0 CHECK (per_pupil_cost_pence >= 0),
    notes                TEXT NOT NULL DEFAULT '',
    version              INTEGER NOT NULL DEFAULT 1,
    CHECK (end IS NULL OR weeks IS NULL)
);

CREATE TABLE provision_staff (
    provision_id      TEXT NOT NULL REFERENCES provision (id) ON DELETE CASCADE,
    position          INTEGER NOT NULL,
    staff_id          TEXT NOT NULL REFERENCES staff (id),
    hourly_rate_pence INTEGER CHECK (hourly_rate_pence IS NULL OR hourly_rate_pence >= 0),
    PRIMARY KEY (provision_id, staff_id)
);

CREATE TABLE membership (
    provision_id TEXT NOT NULL REFERENCES provision (id) ON DELETE CASCADE,
    upn          TEXT NOT NULL REFERENCES pupil (upn),
    start        TEXT,
    end          TEXT,
    PRIMARY KEY (provision_id, upn),
    CHECK (start IS NULL OR end IS NULL OR end >= start)
);
CREATE INDEX membership_upn ON membership (upn);

INSERT INTO flag_type (code, label) VALUES
    ('PP', 'Pupil Premium'),
    ('EAL', 'English as an additional language'),
    ('LAC', 'Looked after'),
    ('FSM', 'Free school meals'),
    ('MED', 'Medical needs');

INSERT INTO need_type (code, label, plain, sort_order) VALUES
    ('SPLD', 'Specific learning difficulty', 'Finds some kinds of learning, such as reading, spelling or number, harder (e.g. dyslexia)', 1),
    ('MLD',  'Moderate learning difficulty', 'Learns more slowly than most children of the same age across many subjects', 2),
    ('SLD',  'Severe learning difficulty', 'Has significant difficulty with learning and needs support in most areas of school life', 3),
    ('PMLD', 'Profound and multiple learning difficulty', 'Has complex learning needs together with physical or sensory needs', 4),
    ('SEMH', 'Social, emotional and mental health', 'Needs support with feelings, behaviour, friendships or wellbeing', 5),
    ('SLCN', 'Speech, language and communication needs', 'Finds talking, understanding language or being understood harder', 6),
    ('HI',   'Hearing impairment', 'Has a hearing loss and may need adjustments to hear and join in', 7),
    ('VI',   'Vision impairment', 'Has a sight loss and may need adjustments to see and take part', 8),
    ('MSI',  'Multi-sensory impairment', 'Has both hearing and sight loss', 9),
    ('PD',   'Physical disability', 'Has a physical need that affects movement or daily tasks', 10),
    ('ASD',  'Autistic spectrum disorder', 'Is autistic: may experience communication, social situations and the senses differently', 11),
    ('DS',   'Down syndrome', 'Has Down syndrome', 12),
    ('OTH',  'Other difficulty', 'Has another need not listed here', 13),
    ('NSA',  'SEN support but no specialist assessment of type of need', 'Receives SEN support; the type of need has not yet been assessed by a specialist', 14);
