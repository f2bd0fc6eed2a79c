"""GENERATED FILE, do not edit: regenerate with `python -m msmonitor.protocols`
after changing a shipped protocol's TOML file beside it (a test fails until you
do). It spares `plan` the TOML parser at start-up; .gitattributes marks it
(linguist-generated) so reviews skip it."""

SNAPSHOT = {'us': ('# msmonitor protocol: alemtuzumab (Lemtrada) monitoring under the US label and REMS.\n'
        '# Schema: docs/protocol-format.md. Research and tags: shared reference protocol.md\n'
        '# (S-numbers below are the ids used there). Not medical advice: check every rule\n'
        '# against the current US Prescribing Information before relying on it.\n'
        '\n'
        'schema = "msmonitor.protocol/1"\n'
        'id = "us"\n'
        'title = "Alemtuzumab (Lemtrada) monitoring, US prescribing information and REMS"\n'
        'version = "2026.12.2"\n'
        'notice = "Liver tests follow the MSAA treatment guide (monthly); the US label says \'at '
        'periodic intervals\'."\n'
        '\n'
        '[sources.S1]\n'
        'document = "US Prescribing Information, boxed warning"\n'
        'where = '
        '"https://api.fda.gov/drug/label.json?search=set_id:6236b0bc-82e9-4447-9a78-f57d94770269"\n'
        '\n'
        '[sources.S4]\n'
        'document = "US Prescribing Information, sections 1 and 2.1-2.3"\n'
        'where = "US PI text, sections 2.1-2.3 (third-party copy)"\n'
        '\n'
        '[sources.S5]\n'
        'document = "US Prescribing Information, dosing (section 2.1)"\n'
        'where = "US PI section 2.1, as paraphrased by a third-party page"\n'
        '\n'
        '[sources.S6]\n'
        'document = "LEMTRADA Important Safety Information (US, after 09/2020)"\n'
        'where = "lemtradahcp.com Important Safety Information"\n'
        '\n'
        '[sources.S7]\n'
        'document = "LEMTRADA HCP site, The Importance of Monitoring"\n'
        'where = "https://www.lemtradahcp.com/safety/monitoring"\n'
        '\n'
        '[sources.S8]\n'
        'document = "LEMTRADA patient site, monitoring"\n'
        'where = "https://www.lemtrada.com/about/monitoring"\n'
        '\n'
        '[sources.S9]\n'
        'document = "LEMTRADA REMS (FDA REMS@FDA, BLA 103948)"\n'
        'where = '
        '"https://www.accessdata.fda.gov/scripts/cder/rems/index.cfm?event=IndvRemsDetails.page&REMS=340"\n'
        '\n'
        '[sources.S10]\n'
        'document = "Neurology Advisor MS treatment chart (US dosing summary)"\n'
        'where = '
        '"https://www.neurologyadvisor.com/clinical-charts/multiple-sclerosis-treatments/"\n'
        '\n'
        '[sources.S11]\n'
        'document = "EU Package Leaflet (after the 2020 Article-20 update)"\n'
        'where = "EU PIL, sections 2-3 (FHIR ePI bundle, 2022-02-16)"\n'
        '\n'
        '[sources.S28]\n'
        'document = "Cleveland Clinic Mellen Center, DMT safety-monitoring guide"\n'
        'where = '
        '"https://my.clevelandclinic.org/departments/neurological/depts/multiple-sclerosis/ms-approaches/safety-monitoring-multiple-sclerosis-patients-disease-modifying-therapies"\n'
        '\n'
        '[sources.S32]\n'
        'document = "Australian Consumer Medicine Information (NPS MedicineWise)"\n'
        'where = "https://www.nps.org.au/medicine-finder/lemtrada-concentrate-for-infusion"\n'
        '\n'
        '[sources.MSAA]\n'
        'document = "MSAA Treatment Guide: Lemtrada (alemtuzumab)"\n'
        'where = "mymsaa.org treatment guide, \'Other key information\'"\n'
        '\n'
        '[courses]\n'
        'first_course_days = 5\n'
        'later_course_days = 3\n'
        'course2_after_months = 12\n'
        'later_gap_months = 12\n'
        'max_courses = 0\n'
        'sources = ["S5", "S10"]\n'
        '\n'
        '[monitoring]\n'
        'months_after_last_dose = 48\n'
        'sources = ["S1", "S6"]\n'
        '\n'
        '# ---------------------------------------------------------------- tests\n'
        '\n'
        '[tests.cbc-diff]\n'
        'name = "Complete blood count with differential"\n'
        'short = "blood count"\n'
        'why = "Finds a falling platelet count (immune thrombocytopenia) and other blood problems '
        'early."\n'
        '\n'
        '[tests.creatinine]\n'
        'name = "Serum creatinine"\n'
        'short = "kidney"\n'
        'why = "Checks kidney function: finds an immune attack on the kidneys (anti-GBM disease) '
        'and other kidney injury."\n'
        '\n'
        '[tests.urinalysis]\n'
        'name = "Urinalysis with urine cell counts"\n'
        'short = "urine"\n'
        'why = "Looks for blood or protein in the urine, an early sign of kidney disease."\n'
        '\n'
        '[tests.liver]\n'
        'name = "Liver tests (ALT, AST, total bilirubin)"\n'
        'short = "liver"\n'
        'why = "Detects liver injury, including autoimmune hepatitis."\n'
        '\n'
        '[tests.tsh]\n'
        'name = "Thyroid function (TSH)"\n'
        'short = "thyroid"\n'
        'why = "Detects thyroid disease, the most common autoimmune effect."\n'
        '\n'
        '[tests.cmp]\n'
        'name = "Comprehensive metabolic panel"\n'
        'short = "blood chemistry"\n'
        'why = "Baseline blood chemistry before the first course."\n'
        '\n'
        '[tests.urine-protein-creatinine]\n'
        'name = "Urine protein to creatinine ratio"\n'
        'short = "urine protein"\n'
        'why = "Baseline kidney measure that later urine results are compared with."\n'
        '\n'
        '[tests.skin-exam]\n'
        'name = "Skin examination"\n'
        'short = "skin exam"\n'
        'why = "Looks for melanoma; baseline and yearly."\n'
        '\n'
        '[tests.hpv-screen]\n'
        'name = "Cervical (HPV) screening"\n'
        'short = "HPV screening"\n'
        'why = "Yearly screening: HPV-related disease is more frequent after alemtuzumab."\n'
        '\n'
        '[tests.cd4]\n'
        'name = "CD4+ lymphocyte count"\n'
        'short = "CD4 count"\n'
        'why = "Decides when the herpes antiviral can stop (at least 200 cells per microliter)."\n'
        '\n'
        '[tests.pregnancy-test]\n'
        'name = "Pregnancy test"\n'
        'short = "pregnancy test"\n'
        'why = "Rules out pregnancy before an infusion course."\n'
        '\n'
        '[tests.vzv-antibodies]\n'
        'name = "Varicella-zoster (chickenpox) antibodies"\n'
        'short = "chickenpox antibodies"\n'
        'why = "Without chickenpox history or vaccination: finds who needs the VZV vaccine '
        'first."\n'
        '\n'
        '[tests.tb-screen]\n'
        'name = "Tuberculosis screening"\n'
        'short = "tuberculosis"\n'
        'why = "Finds active or latent tuberculosis, per local guidelines."\n'
        '\n'
        '[tests.hepatitis-b]\n'
        'name = "Hepatitis B screening, if at high risk"\n'
        'short = "hepatitis B if high risk"\n'
        'why = "The label: \'consider screening patients at high risk\'. Carriers need caution."\n'
        '\n'
        '[tests.hepatitis-c]\n'
        'name = "Hepatitis C screening, if at high risk"\n'
        'short = "hepatitis C if high risk"\n'
        'why = "The label: \'consider screening patients at high risk\'. Carriers need caution."\n'
        '\n'
        '[tests.hiv]\n'
        'name = "HIV test"\n'
        'short = "HIV"\n'
        'why = "HIV infection is a contraindication."\n'
        '\n'
        '# ---------------------------------------------------------------- before treatment\n'
        '\n'
        '[[rules]]\n'
        'id = "baseline-labs"\n'
        'title = "Baseline labs"\n'
        'kind = "baseline-labs"\n'
        'when = "once"\n'
        'from = { anchor = "course1.first", days = -30 }\n'
        'until = { anchor = "course1.first", days = -1 }\n'
        'tests = ["cbc-diff", "creatinine", "urinalysis", "urine-protein-creatinine", "tsh", '
        '"liver", "cmp"]\n'
        'note = "REMS: baseline labs within the 30 days before the first infusion, reported on the '
        'baseline lab form."\n'
        'sources = ["S9", "S1", "S6", "MSAA", "S28"]\n'
        '\n'
        '[[rules]]\n'
        'id = "screening"\n'
        'title = "Infection screening"\n'
        'kind = "screening"\n'
        'when = "once"\n'
        'at = { anchor = "course1.first", days = -90 }\n'
        'tests = ["vzv-antibodies", "tb-screen", "hepatitis-b", "hepatitis-c", "hiv"]\n'
        'note = "First step, as early as possible: screen, then vaccinate if needed (VZV if '
        'antibody-negative), then wait at least 6 weeks, then treat. Never accepted after the '
        'vaccination deadline; the 90-day lead is msmonitor\'s choice."\n'
        'evidence = "inferred"\n'
        'tolerance_days = 48\n'
        'before = "vaccinations"\n'
        'visit = "screening"\n'
        'sources = ["S4", "S6", "MSAA"]\n'
        '\n'
        '\n'
        '[[rules]]\n'
        'id = "contraindications"\n'
        'title = "Contraindications checked"\n'
        'short = "Contraindications"\n'
        'kind = "screening"\n'
        'when = "once"\n'
        'at = { anchor = "course1.first", days = -90 }\n'
        'visit = "screening"\n'
        'evidence = "inferred"\n'
        'note = "US label, contraindicated: \'known hypersensitivity or anaphylactic reactions to '
        "alemtuzumab'; HIV infection; 'an active infection'. Checked at the first pre-treatment "
        'visit (msmonitor\'s date) and again before each course."\n'
        'sources = ["S6"]\n'
        '\n'
        '[[rules]]\n'
        'id = "immunosuppressants"\n'
        'title = "Previous and current immunosuppressants reviewed; washout planned"\n'
        'short = "Immunosuppressant review"\n'
        'kind = "screening"\n'
        'when = "once"\n'
        'at = { anchor = "course1.first", days = -90 }\n'
        'visit = "screening"\n'
        'evidence = "inferred"\n'
        'note = "\'Concomitant use of antineoplastic or immunosuppressive therapies could increase '
        "the risk of immunosuppression'; PML followed multiple prior MS therapies; a previous "
        "CAMPATH (alemtuzumab) course calls for 'increased vigilance'. Washout depends on the "
        'drug: the label gives none."\n'
        'sources = ["S6"]\n'
        '[[rules]]\n'
        'id = "baseline-skin-exam"\n'
        'title = "Baseline skin exam"\n'
        'short = "Skin exam"\n'
        'kind = "screening"\n'
        'when = "once"\n'
        'at = { anchor = "course1.first", days = -42 }\n'
        'tests = ["skin-exam"]\n'
        'tolerance_days = 42\n'
        'sources = ["S1", "S6"]\n'
        '\n'
        '[[rules]]\n'
        'id = "baseline-hpv-screen"\n'
        'title = "Cervical (HPV) screening"\n'
        'short = "HPV screening"\n'
        'kind = "screening"\n'
        'when = "once"\n'
        'at = { anchor = "course1.first", days = -42 }\n'
        'tests = ["hpv-screen"]\n'
        'sex = "female"\n'
        'evidence = "inferred"\n'
        'note = "The label asks for annual screening; the first one is placed before treatment."\n'
        'tolerance_days = 42\n'
        'sources = ["S6", "MSAA"]\n'
        '\n'
        '[[rules]]\n'
        'id = "vaccinations"\n'
        'title = "Vaccinations complete (VZV if antibody-negative)"\n'
        'short = "Vaccinations"\n'
        'kind = "vaccination"\n'
        'when = "once"\n'
        'at = { anchor = "course1.first", days = -42 }\n'
        'note = "After screening: \'complete any necessary immunizations at least 6 weeks prior to '
        "treatment'; after VZV vaccination, postpone treatment until 6 weeks after it. No live "
        'vaccines after a course."\n'
        'sources = ["S4", "S6"]\n'
        '\n'
        '[[rules]]\n'
        'id = "rems-enrolment"\n'
        'title = "REMS enrollment; safety card"\n'
        'short = "REMS enrollment"\n'
        'kind = "counselling"\n'
        'when = "once"\n'
        'at = { anchor = "course1.first", days = -90 }\n'
        'visit = "screening"\n'
        'note = "REMS (2016): counsel, hand out the Patient Guide and Patient Safety Information '
        'Card, order baseline labs and enroll the patient before writing the first prescription. '
        'The REMS gives no day: msmonitor puts it at the first pre-treatment visit."\n'
        'evidence = "inferred"\n'
        'sources = ["S9"]\n'
        '\n'
        '[[rules]]\n'
        'id = "counsel-listeria"\n'
        'title = "Listeria diet explained"\n'
        'short = "Listeria diet talk"\n'
        'kind = "counselling"\n'
        'when = "once"\n'
        'at = { anchor = "course1.first", days = -14 }\n'
        'visit = "counselling"\n'
        'note = "\'Initiate these precautions prior to receiving LEMTRADA\': avoid or adequately '
        'heat foods that may carry Listeria. The label gives no day: msmonitor explains it when '
        'the 2-week diet window opens."\n'
        'evidence = "inferred"\n'
        'sources = ["S6", "S8"]\n'
        '\n'
        '[[rules]]\n'
        'id = "counsel-contraception"\n'
        'title = "Contraception discussed"\n'
        'short = "Contraception talk"\n'
        'kind = "counselling"\n'
        'when = "once"\n'
        'at = { anchor = "course1.first", days = -14 }\n'
        'visit = "counselling"\n'
        'sex = "female"\n'
        'evidence = "inferred"\n'
        'note = "Effective contraception during each course and for 4 months after it."\n'
        'sources = ["S32", "S11"]\n'
        '\n'
        '# ---------------------------------------------------------------- each course\n'
        '\n'
        '[[rules]]\n'
        'id = "pregnancy-test"\n'
        'title = "Pregnancy test before the first infusion of course {course}"\n'
        'short = "Pregnancy test"\n'
        'kind = "course-test"\n'
        'when = "each-course"\n'
        'at = { anchor = "course.first" }\n'
        'tests = ["pregnancy-test"]\n'
        'sex = "female"\n'
        'evidence = "inferred"\n'
        'note = "Pregnancy excluded before each course, in women who could become pregnant; the '
        'test is practice, not label text."\n'
        'tolerance_days = 7\n'
        'sources = ["S32", "S11"]\n'
        '\n'
        '\n'
        '[[rules]]\n'
        'id = "course-readiness"\n'
        'title = "No active infection or fever today"\n'
        'short = "Readiness check"\n'
        'kind = "course-test"\n'
        'when = "each-course"\n'
        'at = { anchor = "course.first" }\n'
        'visit = "readiness"\n'
        'evidence = "inferred"\n'
        'note = "Contraindicated \'in patients with active infection\': no course while one lasts. '
        'Checked on day 1 of each course (msmonitor\'s choice of day)."\n'
        'sources = ["S6"]\n'
        '\n'
        '[[rules]]\n'
        'id = "course-labs-reviewed"\n'
        'title = "Latest blood count, creatinine and urinalysis reviewed"\n'
        'short = "Latest labs reviewed"\n'
        'kind = "course-test"\n'
        'when = "each-course"\n'
        'at = { anchor = "course.first" }\n'
        'visit = "readiness"\n'
        'evidence = "inferred"\n'
        'note = "Course 1: the baseline labs; later courses: the latest monthly draw (one always '
        'falls within the month before)."\n'
        'sources = ["S1", "S6"]\n'
        '[[rules]]\n'
        'id = "infusion"\n'
        'title = "Infusion day {day} of {days}"\n'
        'kind = "infusion"\n'
        'when = "each-infusion-day"\n'
        'visit = "infusion"\n'
        'note = "12 mg alemtuzumab IV over about 4 hours, in a certified setting."\n'
        'sources = ["S5", "S10", "S9"]\n'
        '\n'
        '[[rules]]\n'
        'id = "premedication"\n'
        'title = "Corticosteroid premedication"\n'
        'kind = "infusion"\n'
        'when = "each-infusion-day"\n'
        'course_days = [1, 2, 3]\n'
        'visit = "infusion"\n'
        'note = "1,000 mg methylprednisolone or equivalent, immediately before the infusion, on '
        'the first 3 days of each course."\n'
        'sources = ["S4", "S6"]\n'
        '\n'
        '[[rules]]\n'
        'id = "observation"\n'
        'title = "Vital signs; 2-hour observation"\n'
        'kind = "infusion"\n'
        'when = "each-infusion-day"\n'
        'visit = "infusion"\n'
        'note = "\'Serious infusion reactions can also occur after the 2-hour monitoring period\': '
        'tell the team about any reaction in the 48 hours after the infusion."\n'
        'sources = ["S1", "S7"]\n'
        '\n'
        '[[rules]]\n'
        'id = "antiviral-prophylaxis"\n'
        'title = "Antiviral (herpes) prophylaxis, at least until {until}"\n'
        'short = "Herpes antiviral minimum"\n'
        'kind = "window"\n'
        'when = "each-course"\n'
        'from = { anchor = "course.first" }\n'
        'until = { anchor = "course.last", months = 2 }\n'
        'note = "\'starting on the first day of each treatment course and continue for a minimum '
        'of two months following treatment ... or until CD4+ lymphocyte count is ≥200 cells per '
        'microliter, whichever occurs later\'."\n'
        'sources = ["S4", "S6", "S10"]\n'
        '\n'
        '\n'
        '[[rules]]\n'
        'id = "cd4-count"\n'
        'title = "CD4+ count: continue the antiviral until it is at least 200 cells/microliter"\n'
        'short = "CD4 count"\n'
        'kind = "labs"\n'
        'when = "each-course"\n'
        'at = { anchor = "course.last", months = 2 }\n'
        'visit = "labs"\n'
        'tests = ["cd4"]\n'
        'evidence = "inferred"\n'
        'tolerance_days = 14\n'
        'note = "The antiviral continues for at least 2 months \'or until CD4+ lymphocyte count is '
        "≥200 cells per microliter, whichever occurs later': a count at 2 months shows whether it "
        'can stop. The label schedules no count; msmonitor does."\n'
        'sources = ["S6"]\n'
        '[[rules]]\n'
        'id = "listeria-diet"\n'
        'title = "Listeria food precautions"\n'
        'short = "Listeria precautions"\n'
        'kind = "window"\n'
        'when = "each-course"\n'
        'from = { anchor = "course.first", days = -14 }\n'
        'until = { anchor = "course.last", months = 1 }\n'
        'evidence = "inferred"\n'
        'note = "US label: start before dosing (Listeria infections seen 3 days to 8 months '
        'after); the 2-week and 1-month span follows the EU leaflet."\n'
        'sources = ["S6", "S11"]\n'
        '\n'
        '[[rules]]\n'
        'id = "contraception"\n'
        'title = "Effective contraception"\n'
        'short = "Contraception"\n'
        'kind = "window"\n'
        'when = "each-course"\n'
        'from = { anchor = "course.first" }\n'
        'until = { anchor = "course.last", months = 4 }\n'
        'sex = "female"\n'
        'evidence = "inferred"\n'
        'note = "During the course and for 4 months after it."\n'
        'sources = ["S32", "S11"]\n'
        '\n'
        '[[rules]]\n'
        'id = "urgent-symptom-alert"\n'
        'title = "Urgent-symptom watch: stroke, heart, bleeding"\n'
        'short = "Urgent-symptom watch"\n'
        'kind = "window"\n'
        'when = "each-course"\n'
        'from = { anchor = "course.first" }\n'
        'until = { anchor = "course.last", days = 3 }\n'
        'note = "Seek immediate medical attention (call the emergency number) for face drooping, '
        'weakness on one side, sudden severe headache, neck pain, chest pain, trouble breathing or '
        'coughing up blood: stroke, heart attack, torn neck artery or bleeding in the lungs, most '
        'often within 1-3 days of an infusion."\n'
        'sources = ["S1", "S6"]\n'
        '\n'
        '# ---------------------------------------------------------------- monitoring\n'
        '\n'
        '[[rules]]\n'
        'id = "monthly-labs"\n'
        'title = "Monthly blood and urine tests"\n'
        'short = "Blood + urine tests"\n'
        'kind = "labs"\n'
        'when = "grid"\n'
        'every_months = 1\n'
        'visit = "labs"\n'
        'tests = ["cbc-diff", "creatinine", "urinalysis", "liver"]\n'
        'tolerance_days = 14\n'
        'note = "Monthly until 48 months after the last infusion. Liver tests monthly per the MSAA '
        'guide (label: periodic)."\n'
        'sources = ["S1", "S6", "MSAA"]\n'
        '\n'
        '[[rules]]\n'
        'id = "thyroid"\n'
        'title = "Thyroid test every 3 months"\n'
        'short = "Thyroid"\n'
        'kind = "labs"\n'
        'when = "grid"\n'
        'every_months = 3\n'
        'visit = "labs"\n'
        'tests = ["tsh"]\n'
        'tolerance_days = 30\n'
        'sources = ["S6", "MSAA"]\n'
        '\n'
        '[[rules]]\n'
        'id = "yearly-skin-exam"\n'
        'title = "Yearly skin exam"\n'
        'short = "Skin exam"\n'
        'kind = "exam"\n'
        'when = "grid"\n'
        'every_months = 12\n'
        'tests = ["skin-exam"]\n'
        'tolerance_days = 60\n'
        'sources = ["S1", "S6", "S8"]\n'
        '\n'
        '[[rules]]\n'
        'id = "yearly-hpv-screen"\n'
        'title = "Yearly cervical (HPV) screening"\n'
        'short = "HPV screening"\n'
        'kind = "exam"\n'
        'when = "grid"\n'
        'every_months = 12\n'
        'tests = ["hpv-screen"]\n'
        'sex = "female"\n'
        'tolerance_days = 60\n'
        'sources = ["S6"]\n'
        '\n'
        '[[rules]]\n'
        'id = "closing-labs"\n'
        'title = "Closing panel: last scheduled tests"\n'
        'short = "Closing tests"\n'
        'kind = "labs"\n'
        'when = "once"\n'
        'at = { anchor = "end" }\n'
        'visit = "labs"\n'
        'tests = ["cbc-diff", "creatinine", "urinalysis", "liver", "tsh"]\n'
        'tolerance_days = 14\n'
        'evidence = "inferred"\n'
        'note = "Covers the 48-month window up to its last day."\n'
        'sources = ["S1", "S6"]\n'
        '\n'
        '[[rules]]\n'
        'id = "monitoring-end"\n'
        'title = "End of scheduled monitoring (48 months after the last infusion)"\n'
        'short = "End of monitoring"\n'
        'kind = "end"\n'
        'when = "once"\n'
        'at = { anchor = "end" }\n'
        'note = "Yearly skin exams and yearly cervical screening (women) continue: the label does '
        'not limit them to 48 months. Keep reporting bleeding, urine, thyroid and liver symptoms: '
        'some problems appear years later. Further tests when clinically indicated, thyroid tests '
        'also in pregnancy."\n'
        'sources = ["S1", "S6"]\n'
        '\n'
        '# ---------------------------------------------------------------- symptoms to report\n'
        "# The symptom card groups signs by what to do, in the label's words, most\n"
        '# urgent first; a sign appears once, under the most urgent action of any\n'
        '# condition that lists it. Urgent groups also print on every course checklist.\n'
        '\n'
        '[card]\n'
        'keep = "during treatment, for at least 4 years after the last infusion, and after that"\n'
        'reminders = [\n'
        '  "Show this card to any doctor or nurse who treats you, even for something other than '
        'MS.",\n'
        '  "Tell your MS team if you become pregnant: thyroid disease poses special risks in '
        'pregnancy.",\n'
        '  "No live vaccines after a course of LEMTRADA: ask your MS team before any vaccine.",\n'
        '  "Keep having every monthly blood and urine test, even when you feel well.",\n'
        ']\n'
        'sources = ["S11", "S6"]\n'
        '\n'
        '[[symptoms]]\n'
        'id = "emergency"\n'
        'title = "Get help right away"\n'
        'urgent = true\n'
        'action = "Seek immediate medical attention: call the emergency number. Stroke, heart '
        'attack, torn neck artery or bleeding in the lungs: most often 1 to 3 days after an '
        'infusion."\n'
        'signs = [\n'
        '  "Trouble breathing or shortness of breath",\n'
        '  "Coughing up blood",\n'
        '  "Chest pain or tightness",\n'
        '  "Sudden drooping of part of the face",\n'
        '  "Sudden weakness on one side of the body",\n'
        '  "Sudden difficulty with speech",\n'
        '  "Sudden severe headache, or neck pain",\n'
        ']\n'
        'sources = ["S6", "S11"]\n'
        '\n'
        '[[symptoms]]\n'
        'id = "immediately"\n'
        'title = "Call your doctor immediately"\n'
        'urgent = true\n'
        'action = "Call your doctor immediately. If you cannot reach your doctor, you must seek '
        'immediate medical attention."\n'
        'signs = [\n'
        '  "Small red, pink or purple spots, or red pinpoint dots, on the skin or in the mouth, '
        'with or without extreme tiredness, fever, confusion or speech changes (too few platelets: '
        'immune thrombocytopenia, ITP, or thrombotic thrombocytopenic purpura, TTP)",\n'
        '  "Bruising easily; bleeding from a cut that is slow to stop; new or longer bleeding from '
        'the gums or nose; painful or swollen joints; any other unusual bleeding (ITP, or acquired '
        'hemophilia A, a bleeding disorder)",\n'
        '  "Heavier, longer or more frequent periods, or bleeding between periods",\n'
        '  "Blood in the urine (red or tea-colored), dark urine, passing little urine, or swelling '
        'in the legs or feet (kidney disease, TTP)",\n'
        '  "Yellow skin or eyes",\n'
        '  "Several together: fever, swollen glands, bruising, skin rash (hemophagocytic '
        'lymphohistiocytosis, HLH: an overactive immune system)",\n'
        '  "Fever over 39 °C (102.2 °F) for more than a week, with painful or stiff joints or a '
        'rash (adult-onset Still\'s disease, an inflammatory illness)",\n'
        '  "Fever with headache, stiff neck or confusion (Listeria, an infection caught from '
        'food)",\n'
        '  "Weakness or clumsiness, vision problems, speech difficulties or confusion that get '
        'worse over days or weeks (progressive multifocal leukoencephalopathy, PML: a rare brain '
        'infection)",\n'
        '  "Changes in behavior, mood, thinking or memory, or seizures (fits); these can look like '
        'an MS relapse (autoimmune encephalitis, brain inflammation; or PML)",\n'
        ']\n'
        'note = "Tell your family or caregivers about your treatment: they may notice changes in '
        'thinking or behavior before you do."\n'
        'sources = ["S6", "S11"]\n'
        '\n'
        '[[symptoms]]\n'
        'id = "right-away"\n'
        'title = "Call your doctor right away"\n'
        'action = "Call your doctor right away to report them: these problems can start many years '
        'after treatment."\n'
        'signs = [\n'
        '  "Fever or chills, swollen glands, cold sores or shingles (infection)",\n'
        '  "Excessive sweating, unexplained weight loss or gain, eye swelling, nervousness, fast '
        'heartbeat, feeling cold, worsening tiredness, new constipation (thyroid)",\n'
        '  "Nausea, vomiting, stomach pain or loss of appetite (liver, gallbladder)",\n'
        '  "New or persistent diarrhea (bowel inflammation, colitis)",\n'
        '  "New cough or wheezing (lung inflammation)",\n'
        '  "In the 2 days after an infusion, once home: rash, hives, itching, flushing, fever, '
        'chills, headache, dizziness or a changed heartbeat (infusion reaction)",\n'
        '  "A new lump or swelling in the neck (thyroid cancer); a new mole, or a mole that '
        'changes (melanoma, skin cancer)",\n'
        ']\n'
        'sources = ["S6", "S11", "S1"]\n',
        {'schema': 'msmonitor.protocol/1',
         'id': 'us',
         'title': 'Alemtuzumab (Lemtrada) monitoring, US prescribing information and REMS',
         'version': '2026.12.2',
         'notice': "Liver tests follow the MSAA treatment guide (monthly); the US label says 'at "
                   "periodic intervals'.",
         'sources': {'S1': {'document': 'US Prescribing Information, boxed warning',
                            'where': 'https://api.fda.gov/drug/label.json?search=set_id:6236b0bc-82e9-4447-9a78-f57d94770269'},
                     'S4': {'document': 'US Prescribing Information, sections 1 and 2.1-2.3',
                            'where': 'US PI text, sections 2.1-2.3 (third-party copy)'},
                     'S5': {'document': 'US Prescribing Information, dosing (section 2.1)',
                            'where': 'US PI section 2.1, as paraphrased by a third-party page'},
                     'S6': {'document': 'LEMTRADA Important Safety Information (US, after 09/2020)',
                            'where': 'lemtradahcp.com Important Safety Information'},
                     'S7': {'document': 'LEMTRADA HCP site, The Importance of Monitoring',
                            'where': 'https://www.lemtradahcp.com/safety/monitoring'},
                     'S8': {'document': 'LEMTRADA patient site, monitoring',
                            'where': 'https://www.lemtrada.com/about/monitoring'},
                     'S9': {'document': 'LEMTRADA REMS (FDA REMS@FDA, BLA 103948)',
                            'where': 'https://www.accessdata.fda.gov/scripts/cder/rems/index.cfm?event=IndvRemsDetails.page&REMS=340'},
                     'S10': {'document': 'Neurology Advisor MS treatment chart (US dosing summary)',
                             'where': 'https://www.neurologyadvisor.com/clinical-charts/multiple-sclerosis-treatments/'},
                     'S11': {'document': 'EU Package Leaflet (after the 2020 Article-20 update)',
                             'where': 'EU PIL, sections 2-3 (FHIR ePI bundle, 2022-02-16)'},
                     'S28': {'document': 'Cleveland Clinic Mellen Center, DMT safety-monitoring '
                                         'guide',
                             'where': 'https://my.clevelandclinic.org/departments/neurological/depts/multiple-sclerosis/ms-approaches/safety-monitoring-multiple-sclerosis-patients-disease-modifying-therapies'},
                     'S32': {'document': 'Australian Consumer Medicine Information (NPS '
                                         'MedicineWise)',
                             'where': 'https://www.nps.org.au/medicine-finder/lemtrada-concentrate-for-infusion'},
                     'MSAA': {'document': 'MSAA Treatment Guide: Lemtrada (alemtuzumab)',
                              'where': "mymsaa.org treatment guide, 'Other key information'"}},
         'courses': {'first_course_days': 5,
                     'later_course_days': 3,
                     'course2_after_months': 12,
                     'later_gap_months': 12,
                     'max_courses': 0,
                     'sources': ['S5', 'S10']},
         'monitoring': {'months_after_last_dose': 48, 'sources': ['S1', 'S6']},
         'tests': {'cbc-diff': {'name': 'Complete blood count with differential',
                                'short': 'blood count',
                                'why': 'Finds a falling platelet count (immune thrombocytopenia) '
                                       'and other blood problems early.'},
                   'creatinine': {'name': 'Serum creatinine',
                                  'short': 'kidney',
                                  'why': 'Checks kidney function: finds an immune attack on the '
                                         'kidneys (anti-GBM disease) and other kidney injury.'},
                   'urinalysis': {'name': 'Urinalysis with urine cell counts',
                                  'short': 'urine',
                                  'why': 'Looks for blood or protein in the urine, an early sign '
                                         'of kidney disease.'},
                   'liver': {'name': 'Liver tests (ALT, AST, total bilirubin)',
                             'short': 'liver',
                             'why': 'Detects liver injury, including autoimmune hepatitis.'},
                   'tsh': {'name': 'Thyroid function (TSH)',
                           'short': 'thyroid',
                           'why': 'Detects thyroid disease, the most common autoimmune effect.'},
                   'cmp': {'name': 'Comprehensive metabolic panel',
                           'short': 'blood chemistry',
                           'why': 'Baseline blood chemistry before the first course.'},
                   'urine-protein-creatinine': {'name': 'Urine protein to creatinine ratio',
                                                'short': 'urine protein',
                                                'why': 'Baseline kidney measure that later urine '
                                                       'results are compared with.'},
                   'skin-exam': {'name': 'Skin examination',
                                 'short': 'skin exam',
                                 'why': 'Looks for melanoma; baseline and yearly.'},
                   'hpv-screen': {'name': 'Cervical (HPV) screening',
                                  'short': 'HPV screening',
                                  'why': 'Yearly screening: HPV-related disease is more frequent '
                                         'after alemtuzumab.'},
                   'cd4': {'name': 'CD4+ lymphocyte count',
                           'short': 'CD4 count',
                           'why': 'Decides when the herpes antiviral can stop (at least 200 cells '
                                  'per microliter).'},
                   'pregnancy-test': {'name': 'Pregnancy test',
                                      'short': 'pregnancy test',
                                      'why': 'Rules out pregnancy before an infusion course.'},
                   'vzv-antibodies': {'name': 'Varicella-zoster (chickenpox) antibodies',
                                      'short': 'chickenpox antibodies',
                                      'why': 'Without chickenpox history or vaccination: finds who '
                                             'needs the VZV vaccine first.'},
                   'tb-screen': {'name': 'Tuberculosis screening',
                                 'short': 'tuberculosis',
                                 'why': 'Finds active or latent tuberculosis, per local '
                                        'guidelines.'},
                   'hepatitis-b': {'name': 'Hepatitis B screening, if at high risk',
                                   'short': 'hepatitis B if high risk',
                                   'why': "The label: 'consider screening patients at high risk'. "
                                          'Carriers need caution.'},
                   'hepatitis-c': {'name': 'Hepatitis C screening, if at high risk',
                                   'short': 'hepatitis C if high risk',
                                   'why': "The label: 'consider screening patients at high risk'. "
                                          'Carriers need caution.'},
                   'hiv': {'name': 'HIV test',
                           'short': 'HIV',
                           'why': 'HIV infection is a contraindication.'}},
         'rules': [{'id': 'baseline-labs',
                    'title': 'Baseline labs',
                    'kind': 'baseline-labs',
                    'when': 'once',
                    'from': {'anchor': 'course1.first', 'days': -30},
                    'until': {'anchor': 'course1.first', 'days': -1},
                    'tests': ['cbc-diff',
                              'creatinine',
                              'urinalysis',
                              'urine-protein-creatinine',
                              'tsh',
                              'liver',
                              'cmp'],
                    'note': 'REMS: baseline labs within the 30 days before the first infusion, '
                            'reported on the baseline lab form.',
                    'sources': ['S9', 'S1', 'S6', 'MSAA', 'S28']},
                   {'id': 'screening',
                    'title': 'Infection screening',
                    'kind': 'screening',
                    'when': 'once',
                    'at': {'anchor': 'course1.first', 'days': -90},
                    'tests': ['vzv-antibodies', 'tb-screen', 'hepatitis-b', 'hepatitis-c', 'hiv'],
                    'note': 'First step, as early as possible: screen, then vaccinate if needed '
                            '(VZV if antibody-negative), then wait at least 6 weeks, then treat. '
                            'Never accepted after the vaccination deadline; the 90-day lead is '
                            "msmonitor's choice.",
                    'evidence': 'inferred',
                    'tolerance_days': 48,
                    'before': 'vaccinations',
                    'visit': 'screening',
                    'sources': ['S4', 'S6', 'MSAA']},
                   {'id': 'contraindications',
                    'title': 'Contraindications checked',
                    'short': 'Contraindications',
                    'kind': 'screening',
                    'when': 'once',
                    'at': {'anchor': 'course1.first', 'days': -90},
                    'visit': 'screening',
                    'evidence': 'inferred',
                    'note': "US label, contraindicated: 'known hypersensitivity or anaphylactic "
                            "reactions to alemtuzumab'; HIV infection; 'an active infection'. "
                            "Checked at the first pre-treatment visit (msmonitor's date) and again "
                            'before each course.',
                    'sources': ['S6']},
                   {'id': 'immunosuppressants',
                    'title': 'Previous and current immunosuppressants reviewed; washout planned',
                    'short': 'Immunosuppressant review',
                    'kind': 'screening',
                    'when': 'once',
                    'at': {'anchor': 'course1.first', 'days': -90},
                    'visit': 'screening',
                    'evidence': 'inferred',
                    'note': "'Concomitant use of antineoplastic or immunosuppressive therapies "
                            "could increase the risk of immunosuppression'; PML followed multiple "
                            'prior MS therapies; a previous CAMPATH (alemtuzumab) course calls for '
                            "'increased vigilance'. Washout depends on the drug: the label gives "
                            'none.',
                    'sources': ['S6']},
                   {'id': 'baseline-skin-exam',
                    'title': 'Baseline skin exam',
                    'short': 'Skin exam',
                    'kind': 'screening',
                    'when': 'once',
                    'at': {'anchor': 'course1.first', 'days': -42},
                    'tests': ['skin-exam'],
                    'tolerance_days': 42,
                    'sources': ['S1', 'S6']},
                   {'id': 'baseline-hpv-screen',
                    'title': 'Cervical (HPV) screening',
                    'short': 'HPV screening',
                    'kind': 'screening',
                    'when': 'once',
                    'at': {'anchor': 'course1.first', 'days': -42},
                    'tests': ['hpv-screen'],
                    'sex': 'female',
                    'evidence': 'inferred',
                    'note': 'The label asks for annual screening; the first one is placed before '
                            'treatment.',
                    'tolerance_days': 42,
                    'sources': ['S6', 'MSAA']},
                   {'id': 'vaccinations',
                    'title': 'Vaccinations complete (VZV if antibody-negative)',
                    'short': 'Vaccinations',
                    'kind': 'vaccination',
                    'when': 'once',
                    'at': {'anchor': 'course1.first', 'days': -42},
                    'note': "After screening: 'complete any necessary immunizations at least 6 "
                            "weeks prior to treatment'; after VZV vaccination, postpone treatment "
                            'until 6 weeks after it. No live vaccines after a course.',
                    'sources': ['S4', 'S6']},
                   {'id': 'rems-enrolment',
                    'title': 'REMS enrollment; safety card',
                    'short': 'REMS enrollment',
                    'kind': 'counselling',
                    'when': 'once',
                    'at': {'anchor': 'course1.first', 'days': -90},
                    'visit': 'screening',
                    'note': 'REMS (2016): counsel, hand out the Patient Guide and Patient Safety '
                            'Information Card, order baseline labs and enroll the patient before '
                            'writing the first prescription. The REMS gives no day: msmonitor puts '
                            'it at the first pre-treatment visit.',
                    'evidence': 'inferred',
                    'sources': ['S9']},
                   {'id': 'counsel-listeria',
                    'title': 'Listeria diet explained',
                    'short': 'Listeria diet talk',
                    'kind': 'counselling',
                    'when': 'once',
                    'at': {'anchor': 'course1.first', 'days': -14},
                    'visit': 'counselling',
                    'note': "'Initiate these precautions prior to receiving LEMTRADA': avoid or "
                            'adequately heat foods that may carry Listeria. The label gives no '
                            'day: msmonitor explains it when the 2-week diet window opens.',
                    'evidence': 'inferred',
                    'sources': ['S6', 'S8']},
                   {'id': 'counsel-contraception',
                    'title': 'Contraception discussed',
                    'short': 'Contraception talk',
                    'kind': 'counselling',
                    'when': 'once',
                    'at': {'anchor': 'course1.first', 'days': -14},
                    'visit': 'counselling',
                    'sex': 'female',
                    'evidence': 'inferred',
                    'note': 'Effective contraception during each course and for 4 months after it.',
                    'sources': ['S32', 'S11']},
                   {'id': 'pregnancy-test',
                    'title': 'Pregnancy test before the first infusion of course {course}',
                    'short': 'Pregnancy test',
                    'kind': 'course-test',
                    'when': 'each-course',
                    'at': {'anchor': 'course.first'},
                    'tests': ['pregnancy-test'],
                    'sex': 'female',
                    'evidence': 'inferred',
                    'note': 'Pregnancy excluded before each course, in women who could become '
                            'pregnant; the test is practice, not label text.',
                    'tolerance_days': 7,
                    'sources': ['S32', 'S11']},
                   {'id': 'course-readiness',
                    'title': 'No active infection or fever today',
                    'short': 'Readiness check',
                    'kind': 'course-test',
                    'when': 'each-course',
                    'at': {'anchor': 'course.first'},
                    'visit': 'readiness',
                    'evidence': 'inferred',
                    'note': "Contraindicated 'in patients with active infection': no course while "
                            "one lasts. Checked on day 1 of each course (msmonitor's choice of "
                            'day).',
                    'sources': ['S6']},
                   {'id': 'course-labs-reviewed',
                    'title': 'Latest blood count, creatinine and urinalysis reviewed',
                    'short': 'Latest labs reviewed',
                    'kind': 'course-test',
                    'when': 'each-course',
                    'at': {'anchor': 'course.first'},
                    'visit': 'readiness',
                    'evidence': 'inferred',
                    'note': 'Course 1: the baseline labs; later courses: the latest monthly draw '
                            '(one always falls within the month before).',
                    'sources': ['S1', 'S6']},
                   {'id': 'infusion',
                    'title': 'Infusion day {day} of {days}',
                    'kind': 'infusion',
                    'when': 'each-infusion-day',
                    'visit': 'infusion',
                    'note': '12 mg alemtuzumab IV over about 4 hours, in a certified setting.',
                    'sources': ['S5', 'S10', 'S9']},
                   {'id': 'premedication',
                    'title': 'Corticosteroid premedication',
                    'kind': 'infusion',
                    'when': 'each-infusion-day',
                    'course_days': [1, 2, 3],
                    'visit': 'infusion',
                    'note': '1,000 mg methylprednisolone or equivalent, immediately before the '
                            'infusion, on the first 3 days of each course.',
                    'sources': ['S4', 'S6']},
                   {'id': 'observation',
                    'title': 'Vital signs; 2-hour observation',
                    'kind': 'infusion',
                    'when': 'each-infusion-day',
                    'visit': 'infusion',
                    'note': "'Serious infusion reactions can also occur after the 2-hour "
                            "monitoring period': tell the team about any reaction in the 48 hours "
                            'after the infusion.',
                    'sources': ['S1', 'S7']},
                   {'id': 'antiviral-prophylaxis',
                    'title': 'Antiviral (herpes) prophylaxis, at least until {until}',
                    'short': 'Herpes antiviral minimum',
                    'kind': 'window',
                    'when': 'each-course',
                    'from': {'anchor': 'course.first'},
                    'until': {'anchor': 'course.last', 'months': 2},
                    'note': "'starting on the first day of each treatment course and continue for "
                            'a minimum of two months following treatment ... or until CD4+ '
                            'lymphocyte count is ≥200 cells per microliter, whichever occurs '
                            "later'.",
                    'sources': ['S4', 'S6', 'S10']},
                   {'id': 'cd4-count',
                    'title': 'CD4+ count: continue the antiviral until it is at least 200 '
                             'cells/microliter',
                    'short': 'CD4 count',
                    'kind': 'labs',
                    'when': 'each-course',
                    'at': {'anchor': 'course.last', 'months': 2},
                    'visit': 'labs',
                    'tests': ['cd4'],
                    'evidence': 'inferred',
                    'tolerance_days': 14,
                    'note': "The antiviral continues for at least 2 months 'or until CD4+ "
                            'lymphocyte count is ≥200 cells per microliter, whichever occurs '
                            "later': a count at 2 months shows whether it can stop. The label "
                            'schedules no count; msmonitor does.',
                    'sources': ['S6']},
                   {'id': 'listeria-diet',
                    'title': 'Listeria food precautions',
                    'short': 'Listeria precautions',
                    'kind': 'window',
                    'when': 'each-course',
                    'from': {'anchor': 'course.first', 'days': -14},
                    'until': {'anchor': 'course.last', 'months': 1},
                    'evidence': 'inferred',
                    'note': 'US label: start before dosing (Listeria infections seen 3 days to 8 '
                            'months after); the 2-week and 1-month span follows the EU leaflet.',
                    'sources': ['S6', 'S11']},
                   {'id': 'contraception',
                    'title': 'Effective contraception',
                    'short': 'Contraception',
                    'kind': 'window',
                    'when': 'each-course',
                    'from': {'anchor': 'course.first'},
                    'until': {'anchor': 'course.last', 'months': 4},
                    'sex': 'female',
                    'evidence': 'inferred',
                    'note': 'During the course and for 4 months after it.',
                    'sources': ['S32', 'S11']},
                   {'id': 'urgent-symptom-alert',
                    'title': 'Urgent-symptom watch: stroke, heart, bleeding',
                    'short': 'Urgent-symptom watch',
                    'kind': 'window',
                    'when': 'each-course',
                    'from': {'anchor': 'course.first'},
                    'until': {'anchor': 'course.last', 'days': 3},
                    'note': 'Seek immediate medical attention (call the emergency number) for face '
                            'drooping, weakness on one side, sudden severe headache, neck pain, '
                            'chest pain, trouble breathing or coughing up blood: stroke, heart '
                            'attack, torn neck artery or bleeding in the lungs, most often within '
                            '1-3 days of an infusion.',
                    'sources': ['S1', 'S6']},
                   {'id': 'monthly-labs',
                    'title': 'Monthly blood and urine tests',
                    'short': 'Blood + urine tests',
                    'kind': 'labs',
                    'when': 'grid',
                    'every_months': 1,
                    'visit': 'labs',
                    'tests': ['cbc-diff', 'creatinine', 'urinalysis', 'liver'],
                    'tolerance_days': 14,
                    'note': 'Monthly until 48 months after the last infusion. Liver tests monthly '
                            'per the MSAA guide (label: periodic).',
                    'sources': ['S1', 'S6', 'MSAA']},
                   {'id': 'thyroid',
                    'title': 'Thyroid test every 3 months',
                    'short': 'Thyroid',
                    'kind': 'labs',
                    'when': 'grid',
                    'every_months': 3,
                    'visit': 'labs',
                    'tests': ['tsh'],
                    'tolerance_days': 30,
                    'sources': ['S6', 'MSAA']},
                   {'id': 'yearly-skin-exam',
                    'title': 'Yearly skin exam',
                    'short': 'Skin exam',
                    'kind': 'exam',
                    'when': 'grid',
                    'every_months': 12,
                    'tests': ['skin-exam'],
                    'tolerance_days': 60,
                    'sources': ['S1', 'S6', 'S8']},
                   {'id': 'yearly-hpv-screen',
                    'title': 'Yearly cervical (HPV) screening',
                    'short': 'HPV screening',
                    'kind': 'exam',
                    'when': 'grid',
                    'every_months': 12,
                    'tests': ['hpv-screen'],
                    'sex': 'female',
                    'tolerance_days': 60,
                    'sources': ['S6']},
                   {'id': 'closing-labs',
                    'title': 'Closing panel: last scheduled tests',
                    'short': 'Closing tests',
                    'kind': 'labs',
                    'when': 'once',
                    'at': {'anchor': 'end'},
                    'visit': 'labs',
                    'tests': ['cbc-diff', 'creatinine', 'urinalysis', 'liver', 'tsh'],
                    'tolerance_days': 14,
                    'evidence': 'inferred',
                    'note': 'Covers the 48-month window up to its last day.',
                    'sources': ['S1', 'S6']},
                   {'id': 'monitoring-end',
                    'title': 'End of scheduled monitoring (48 months after the last infusion)',
                    'short': 'End of monitoring',
                    'kind': 'end',
                    'when': 'once',
                    'at': {'anchor': 'end'},
                    'note': 'Yearly skin exams and yearly cervical screening (women) continue: the '
                            'label does not limit them to 48 months. Keep reporting bleeding, '
                            'urine, thyroid and liver symptoms: some problems appear years later. '
                            'Further tests when clinically indicated, thyroid tests also in '
                            'pregnancy.',
                    'sources': ['S1', 'S6']}],
         'card': {'keep': 'during treatment, for at least 4 years after the last infusion, and '
                          'after that',
                  'reminders': ['Show this card to any doctor or nurse who treats you, even for '
                                'something other than MS.',
                                'Tell your MS team if you become pregnant: thyroid disease poses '
                                'special risks in pregnancy.',
                                'No live vaccines after a course of LEMTRADA: ask your MS team '
                                'before any vaccine.',
                                'Keep having every monthly blood and urine test, even when you '
                                'feel well.'],
                  'sources': ['S11', 'S6']},
         'symptoms': [{'id': 'emergency',
                       'title': 'Get help right away',
                       'urgent': True,
                       'action': 'Seek immediate medical attention: call the emergency number. '
                                 'Stroke, heart attack, torn neck artery or bleeding in the lungs: '
                                 'most often 1 to 3 days after an infusion.',
                       'signs': ['Trouble breathing or shortness of breath',
                                 'Coughing up blood',
                                 'Chest pain or tightness',
                                 'Sudden drooping of part of the face',
                                 'Sudden weakness on one side of the body',
                                 'Sudden difficulty with speech',
                                 'Sudden severe headache, or neck pain'],
                       'sources': ['S6', 'S11']},
                      {'id': 'immediately',
                       'title': 'Call your doctor immediately',
                       'urgent': True,
                       'action': 'Call your doctor immediately. If you cannot reach your doctor, '
                                 'you must seek immediate medical attention.',
                       'signs': ['Small red, pink or purple spots, or red pinpoint dots, on the '
                                 'skin or in the mouth, with or without extreme tiredness, fever, '
                                 'confusion or speech changes (too few platelets: immune '
                                 'thrombocytopenia, ITP, or thrombotic thrombocytopenic purpura, '
                                 'TTP)',
                                 'Bruising easily; bleeding from a cut that is slow to stop; new '
                                 'or longer bleeding from the gums or nose; painful or swollen '
                                 'joints; any other unusual bleeding (ITP, or acquired hemophilia '
                                 'A, a bleeding disorder)',
                                 'Heavier, longer or more frequent periods, or bleeding between '
                                 'periods',
                                 'Blood in the urine (red or tea-colored), dark urine, passing '
                                 'little urine, or swelling in the legs or feet (kidney disease, '
                                 'TTP)',
                                 'Yellow skin or eyes',
                                 'Several together: fever, swollen glands, bruising, skin rash '
                                 '(hemophagocytic lymphohistiocytosis, HLH: an overactive immune '
                                 'system)',
                                 'Fever over 39 °C (102.2 °F) for more than a week, with painful '
                                 "or stiff joints or a rash (adult-onset Still's disease, an "
                                 'inflammatory illness)',
                                 'Fever with headache, stiff neck or confusion (Listeria, an '
                                 'infection caught from food)',
                                 'Weakness or clumsiness, vision problems, speech difficulties or '
                                 'confusion that get worse over days or weeks (progressive '
                                 'multifocal leukoencephalopathy, PML: a rare brain infection)',
                                 'Changes in behavior, mood, thinking or memory, or seizures '
                                 '(fits); these can look like an MS relapse (autoimmune '
                                 'encephalitis, brain inflammation; or PML)'],
                       'note': 'Tell your family or caregivers about your treatment: they may '
                               'notice changes in thinking or behavior before you do.',
                       'sources': ['S6', 'S11']},
                      {'id': 'right-away',
                       'title': 'Call your doctor right away',
                       'action': 'Call your doctor right away to report them: these problems can '
                                 'start many years after treatment.',
                       'signs': ['Fever or chills, swollen glands, cold sores or shingles '
                                 '(infection)',
                                 'Excessive sweating, unexplained weight loss or gain, eye '
                                 'swelling, nervousness, fast heartbeat, feeling cold, worsening '
                                 'tiredness, new constipation (thyroid)',
                                 'Nausea, vomiting, stomach pain or loss of appetite (liver, '
                                 'gallbladder)',
                                 'New or persistent diarrhea (bowel inflammation, colitis)',
                                 'New cough or wheezing (lung inflammation)',
                                 'In the 2 days after an infusion, once home: rash, hives, '
                                 'itching, flushing, fever, chills, headache, dizziness or a '
                                 'changed heartbeat (infusion reaction)',
                                 'A new lump or swelling in the neck (thyroid cancer); a new mole, '
                                 'or a mole that changes (melanoma, skin cancer)'],
                       'sources': ['S6', 'S11', 'S1']}]}),
 'eu': ('# msmonitor protocol: alemtuzumab (Lemtrada) monitoring under the EU SmPC and package '
        'leaflet.\n'
        '# Schema: docs/protocol-format.md. Research and tags: shared reference protocol.md\n'
        '# (S-numbers below are the ids used there). Not medical advice: check every rule\n'
        '# against the current EU SmPC before relying on it. Rules the research could not\n'
        '# find in the archived EU text are marked evidence = "unverified" and are off\n'
        '# unless --include-unverified is given.\n'
        '\n'
        'schema = "msmonitor.protocol/1"\n'
        'id = "eu"\n'
        'title = "Alemtuzumab (Lemtrada) monitoring, EU SmPC and package leaflet (2020 update)"\n'
        'version = "2026.12.2"\n'
        'notice = "Liver tests are scheduled monthly with the blood draw: the sources require them '
        'before and during treatment, the monthly frequency is inferred. Skin exams, baseline ECG '
        'and post-infusion platelet counts were not found in the archived EU text: they are '
        'unverified and off by default (--include-unverified schedules them, marked)."\n'
        '\n'
        '[sources.S6]\n'
        'document = "LEMTRADA Important Safety Information (US, after 09/2020): cited for signs '
        'that the archived EU leaflet text does not list"\n'
        'where = "lemtradahcp.com Important Safety Information"\n'
        '\n'
        '[sources.S11]\n'
        'document = "EU Package Leaflet (after the 2020 Article-20 update)"\n'
        'where = "EU PIL, sections 2-3 (FHIR ePI bundle, 2022-02-16)"\n'
        '\n'
        '[sources.S12]\n'
        'document = "EU SmPC 2013, sections 4.2 and 4.4"\n'
        'where = "EU SmPC 4.2 (original label)"\n'
        '\n'
        '[sources.S13]\n'
        'document = "Label based on the 2020 EU SmPC, Dosage"\n'
        'where = "https://prdmimsweb.azurewebsites.net/malaysia/drug/info/lemtrada/dosage"\n'
        '\n'
        '[sources.S16]\n'
        'document = "MHRA Drug Safety Update, May 2019 (interim measures)"\n'
        'where = '
        '"https://www.gov.uk/drug-safety-update/lemtrada-alemtuzumab-and-serious-cardiovascular-and-immune-mediated-adverse-reactions-new-restrictions-to-use-and-strengthened-monitoring-requirements"\n'
        '\n'
        '[sources.S17]\n'
        'document = "MHRA Drug Safety Update, February 2020 (as summarised)"\n'
        'where = '
        '"https://www.medicinesresources.nhs.uk/drug-safety-update-lemtrada-alemtuzumab-updated-restrictions-and-strengthened-monitoring-requirements-following-review-of-serious-cardiovascular-and-immune-mediated-reactions.html"\n'
        '\n'
        '[sources.S18]\n'
        'document = "EU RMP prescriber checklist (Sweden, Checklista for forskrivare)"\n'
        'where = "https://studylibsv.com/doc/878460/lemtrada-checklista"\n'
        '\n'
        '[sources.S19]\n'
        'document = "Belgian consensus on ITP after alemtuzumab (describes the EU RMP), 2018"\n'
        'where = "https://link.springer.com/article/10.1007/s13760-018-0882-3/fulltext.html"\n'
        '\n'
        '[sources.S20]\n'
        'document = "Practice-guide table (UK centre practice plus an SmPC summary)"\n'
        'where = "https://pmc.ncbi.nlm.nih.gov/articles/PMC6169984/table/A032029TB2"\n'
        '\n'
        '[sources.S26]\n'
        'document = "Benefit:risk review of the alemtuzumab clinical programme (TCRM 2017)"\n'
        'where = "https://pmc.ncbi.nlm.nih.gov/articles/PMC5652900"\n'
        '\n'
        '[courses]\n'
        'first_course_days = 5\n'
        'later_course_days = 3\n'
        'course2_after_months = 12\n'
        'later_gap_months = 12\n'
        'max_courses = 4\n'
        'sources = ["S13", "S12", "S11"]\n'
        '\n'
        '[monitoring]\n'
        'months_after_last_dose = 48\n'
        'sources = ["S19", "S11", "S13"]\n'
        '\n'
        '# ---------------------------------------------------------------- tests\n'
        '\n'
        '[tests.cbc-diff]\n'
        'name = "Complete blood count with differential"\n'
        'short = "blood count"\n'
        'why = "Finds a falling platelet count (immune thrombocytopenia) and other blood problems '
        'early."\n'
        '\n'
        '[tests.creatinine]\n'
        'name = "Serum creatinine"\n'
        'short = "kidney"\n'
        'why = "Checks kidney function: finds an immune attack on the kidneys (anti-GBM disease) '
        'and other kidney injury."\n'
        '\n'
        '[tests.urinalysis]\n'
        'name = "Urinalysis with microscopy"\n'
        'short = "urine"\n'
        'why = "Looks for blood or protein in the urine, an early sign of kidney disease."\n'
        '\n'
        '[tests.liver]\n'
        'name = "Liver tests (ALT, AST, total bilirubin)"\n'
        'short = "liver"\n'
        'why = "Detects liver injury, including autoimmune hepatitis."\n'
        '\n'
        '[tests.tsh]\n'
        'name = "Thyroid function (TSH)"\n'
        'short = "thyroid"\n'
        'why = "Detects thyroid disease, the most common autoimmune effect."\n'
        '\n'
        '[tests.skin-exam]\n'
        'name = "Skin examination"\n'
        'short = "skin exam"\n'
        'why = "Looks for melanoma (in the US label; not found in the EU material checked)."\n'
        '\n'
        '[tests.hpv-screen]\n'
        'name = "Cervical (HPV) screening"\n'
        'short = "HPV screening"\n'
        'why = "Yearly screening: HPV-related disease is more frequent after alemtuzumab."\n'
        '\n'
        '[tests.pregnancy-test]\n'
        'name = "Pregnancy test"\n'
        'short = "pregnancy test"\n'
        'why = "Rules out pregnancy before an infusion course."\n'
        '\n'
        '[tests.vzv-antibodies]\n'
        'name = "Varicella-zoster (chickenpox) antibodies"\n'
        'short = "chickenpox antibodies"\n'
        'why = "Without chickenpox history or vaccination: finds who needs the VZV vaccine '
        'first."\n'
        '\n'
        '[tests.tb-screen]\n'
        'name = "Tuberculosis screening"\n'
        'short = "tuberculosis"\n'
        'why = "Finds active or latent tuberculosis, per local guidelines."\n'
        '\n'
        '[tests.hepatitis-b]\n'
        'name = "Hepatitis B screening, if at high risk"\n'
        'short = "hepatitis B if high risk"\n'
        'why = "The label: \'consider screening patients at high risk\'. Carriers need caution."\n'
        '\n'
        '[tests.hepatitis-c]\n'
        'name = "Hepatitis C screening, if at high risk"\n'
        'short = "hepatitis C if high risk"\n'
        'why = "The label: \'consider screening patients at high risk\'. Carriers need caution."\n'
        '\n'
        '[tests.hiv]\n'
        'name = "HIV test"\n'
        'short = "HIV"\n'
        'why = "HIV infection is a contraindication."\n'
        '\n'
        '[tests.platelet-count]\n'
        'name = "Platelet count after the infusion"\n'
        'short = "platelets"\n'
        'why = "Catches the drop in platelets that can start at the time of the infusion."\n'
        '\n'
        '[tests.ecg]\n'
        'name = "Electrocardiogram (ECG)"\n'
        'short = "ECG"\n'
        'why = "Baseline heart rhythm before infusions."\n'
        '\n'
        '# ---------------------------------------------------------------- before treatment\n'
        '\n'
        '[[rules]]\n'
        'id = "baseline-labs"\n'
        'title = "Baseline labs"\n'
        'kind = "baseline-labs"\n'
        'when = "once"\n'
        'from = { anchor = "course1.first", days = -30 }\n'
        'until = { anchor = "course1.first", days = -1 }\n'
        'tests = ["cbc-diff", "creatinine", "urinalysis", "tsh", "liver"]\n'
        'evidence = "inferred"\n'
        'note = "Before treatment starts; the 30-day window follows the US REMS, the EU text says '
        '\'prior to initiation\'."\n'
        'sources = ["S18", "S19", "S16", "S11"]\n'
        '\n'
        '[[rules]]\n'
        'id = "screening"\n'
        'title = "Infection screening"\n'
        'kind = "screening"\n'
        'when = "once"\n'
        'at = { anchor = "course1.first", days = -90 }\n'
        'tests = ["vzv-antibodies", "tb-screen", "hepatitis-b", "hepatitis-c", "hiv"]\n'
        'evidence = "inferred"\n'
        'note = "First step, as early as possible: screen, then vaccinate if needed (chickenpox if '
        'never had), then wait at least 6 weeks, then treat. Never accepted after the vaccination '
        'deadline; the 90-day lead is msmonitor\'s choice."\n'
        'tolerance_days = 48\n'
        'before = "vaccinations"\n'
        'visit = "screening"\n'
        'sources = ["S18", "S11"]\n'
        '\n'
        '\n'
        '[[rules]]\n'
        'id = "contraindications"\n'
        'title = "Contraindications checked"\n'
        'short = "Contraindications"\n'
        'kind = "screening"\n'
        'when = "once"\n'
        'at = { anchor = "course1.first", days = -90 }\n'
        'visit = "screening"\n'
        'evidence = "inferred"\n'
        'note = "Leaflet, \'Do not use LEMTRADA\': allergy to alemtuzumab or the other '
        'ingredients; HIV; a serious infection; other autoimmune disease besides MS; uncontrolled '
        'high blood pressure; history of tears in blood vessels supplying the brain, of stroke, of '
        'heart attack or chest pain, or of a bleeding disorder. Checked at the first pre-treatment '
        'visit (msmonitor\'s date) and again before each course."\n'
        'sources = ["S11"]\n'
        '\n'
        '[[rules]]\n'
        'id = "immunosuppressants"\n'
        'title = "Previous and current immunosuppressants reviewed; washout planned"\n'
        'short = "Immunosuppressant review"\n'
        'kind = "screening"\n'
        'when = "once"\n'
        'at = { anchor = "course1.first", days = -90 }\n'
        'visit = "screening"\n'
        'evidence = "inferred"\n'
        'note = "Leaflet: other treatments that affect the immune system \'could affect your '
        'ability to fight infections. If you are using such a medicine, your doctor may ask you to '
        "stop this medicine before starting treatment'; PML was reported after 'prior treatment "
        "with MS products associated with PML'. Washout depends on the drug: the leaflet gives "
        'none."\n'
        'sources = ["S11"]\n'
        '[[rules]]\n'
        'id = "baseline-skin-exam"\n'
        'title = "Baseline skin exam"\n'
        'short = "Skin exam"\n'
        'kind = "screening"\n'
        'when = "once"\n'
        'at = { anchor = "course1.first", days = -42 }\n'
        'tests = ["skin-exam"]\n'
        'evidence = "unverified"\n'
        'tolerance_days = 42\n'
        'sources = ["S20"]\n'
        '\n'
        '[[rules]]\n'
        'id = "baseline-hpv-screen"\n'
        'title = "Cervical (HPV) screening"\n'
        'short = "HPV screening"\n'
        'kind = "screening"\n'
        'when = "once"\n'
        'at = { anchor = "course1.first", days = -42 }\n'
        'tests = ["hpv-screen"]\n'
        'sex = "female"\n'
        'evidence = "inferred"\n'
        'note = "The leaflet asks for annual screening; the first one is placed before '
        'treatment."\n'
        'tolerance_days = 42\n'
        'sources = ["S11"]\n'
        '\n'
        '[[rules]]\n'
        'id = "vaccinations"\n'
        'title = "Vaccinations complete (VZV if antibody-negative)"\n'
        'short = "Vaccinations"\n'
        'kind = "vaccination"\n'
        'when = "each-course"\n'
        'at = { anchor = "course.first", days = -42 }\n'
        'note = "After screening: \'Any vaccination will need to be given to you at least 6 weeks '
        'before starting a LEMTRADA treatment course.\' No live viral vaccines after a course."\n'
        'sources = ["S11", "S18"]\n'
        '\n'
        '[[rules]]\n'
        'id = "alert-card"\n'
        'title = "Patient Alert Card and Guide"\n'
        'short = "Alert card"\n'
        'kind = "counselling"\n'
        'when = "once"\n'
        'at = { anchor = "course1.first", days = -14 }\n'
        'visit = "counselling"\n'
        'note = "Carry the card during treatment and for 4 years after the last infusion, and keep '
        'carrying it after that. The leaflet gives no day for handing it out: msmonitor puts it '
        'with the Listeria advice."\n'
        'evidence = "inferred"\n'
        'sources = ["S11", "S13"]\n'
        '\n'
        '[[rules]]\n'
        'id = "counsel-listeria"\n'
        'title = "Listeria diet explained"\n'
        'short = "Listeria diet talk"\n'
        'kind = "counselling"\n'
        'when = "once"\n'
        'at = { anchor = "course1.first", days = -14 }\n'
        'visit = "counselling"\n'
        'note = "No uncooked or undercooked meat, soft cheeses or unpasteurised dairy \'two weeks '
        "before treatment, during the treatment and for at least one month after'. Explained when "
        'that window opens (msmonitor\'s date)."\n'
        'evidence = "inferred"\n'
        'sources = ["S11"]\n'
        '\n'
        '[[rules]]\n'
        'id = "counsel-contraception"\n'
        'title = "Contraception discussed"\n'
        'short = "Contraception talk"\n'
        'kind = "counselling"\n'
        'when = "once"\n'
        'at = { anchor = "course1.first", days = -14 }\n'
        'visit = "counselling"\n'
        'sex = "female"\n'
        'note = "Effective contraception during each course and for 4 months after it; no '
        'breast-feeding in that time."\n'
        'sources = ["S11"]\n'
        '\n'
        '# ---------------------------------------------------------------- each course\n'
        '\n'
        '[[rules]]\n'
        'id = "pregnancy-test"\n'
        'title = "Pregnancy test before the first infusion of course {course}"\n'
        'short = "Pregnancy test"\n'
        'kind = "course-test"\n'
        'when = "each-course"\n'
        'at = { anchor = "course.first" }\n'
        'tests = ["pregnancy-test"]\n'
        'sex = "female"\n'
        'evidence = "inferred"\n'
        'note = "Pregnancy excluded before each course, in women who could become pregnant; the '
        'test is practice, not label text."\n'
        'tolerance_days = 7\n'
        'sources = ["S11"]\n'
        '\n'
        '\n'
        '[[rules]]\n'
        'id = "course-readiness"\n'
        'title = "No active infection or fever today"\n'
        'short = "Readiness check"\n'
        'kind = "course-test"\n'
        'when = "each-course"\n'
        'at = { anchor = "course.first" }\n'
        'visit = "readiness"\n'
        'evidence = "inferred"\n'
        'note = "\'Do not use LEMTRADA ... if you are suffering from a serious infection\'; \'your '
        "doctor should delay the treatment until the infection is resolved'. Checked on day 1 of "
        'each course (msmonitor\'s choice of day)."\n'
        'sources = ["S11"]\n'
        '\n'
        '[[rules]]\n'
        'id = "course-labs-reviewed"\n'
        'title = "Latest blood count, creatinine and urinalysis reviewed"\n'
        'short = "Latest labs reviewed"\n'
        'kind = "course-test"\n'
        'when = "each-course"\n'
        'at = { anchor = "course.first" }\n'
        'visit = "readiness"\n'
        'evidence = "inferred"\n'
        'note = "Course 1: the baseline labs; later courses: the latest monthly draw (one always '
        'falls within the month before)."\n'
        'sources = ["S11", "S19"]\n'
        '[[rules]]\n'
        'id = "baseline-ecg"\n'
        'title = "ECG before the first infusion of course {course}"\n'
        'short = "ECG"\n'
        'kind = "course-test"\n'
        'when = "each-course"\n'
        'at = { anchor = "course.first" }\n'
        'tests = ["ecg"]\n'
        'evidence = "unverified"\n'
        'tolerance_days = 7\n'
        'sources = ["S16", "S17"]\n'
        '\n'
        '[[rules]]\n'
        'id = "infusion"\n'
        'title = "Infusion day {day} of {days}"\n'
        'kind = "infusion"\n'
        'when = "each-infusion-day"\n'
        'visit = "infusion"\n'
        'note = "12 mg alemtuzumab IV over about 4 hours, in a hospital with ready access to '
        'intensive care."\n'
        'sources = ["S13", "S12"]\n'
        '\n'
        '[[rules]]\n'
        'id = "premedication"\n'
        'title = "Corticosteroid premedication"\n'
        'kind = "infusion"\n'
        'when = "each-infusion-day"\n'
        'course_days = [1, 2, 3]\n'
        'visit = "infusion"\n'
        'note = "Immediately before the infusion on each of the first 3 days of any course."\n'
        'sources = ["S12", "S11"]\n'
        '\n'
        '[[rules]]\n'
        'id = "observation"\n'
        'title = "Vital signs; 2-hour observation"\n'
        'kind = "infusion"\n'
        'when = "each-infusion-day"\n'
        'visit = "infusion"\n'
        'note = "Blood pressure and vital signs before and during the infusion; observation for 2 '
        'hours after it ends."\n'
        'sources = ["S11", "S16"]\n'
        '\n'
        '[[rules]]\n'
        'id = "platelets-course1"\n'
        'title = "Platelet count after the infusion"\n'
        'kind = "infusion"\n'
        'when = "each-infusion-day"\n'
        'courses = "first"\n'
        'course_days = [3, 5]\n'
        'visit = "infusion"\n'
        'tests = ["platelet-count"]\n'
        'evidence = "unverified"\n'
        'sources = ["S17"]\n'
        '\n'
        '[[rules]]\n'
        'id = "platelets-later"\n'
        'title = "Platelet count after the infusion"\n'
        'kind = "infusion"\n'
        'when = "each-infusion-day"\n'
        'courses = "later"\n'
        'course_days = [3]\n'
        'visit = "infusion"\n'
        'tests = ["platelet-count"]\n'
        'evidence = "unverified"\n'
        'sources = ["S17"]\n'
        '\n'
        '[[rules]]\n'
        'id = "antiviral-prophylaxis"\n'
        'title = "Antiviral (herpes) prophylaxis, at least until {until}"\n'
        'short = "Herpes antiviral minimum"\n'
        'kind = "window"\n'
        'when = "each-course"\n'
        'from = { anchor = "course.first" }\n'
        'until = { anchor = "course.last", months = 1 }\n'
        'note = "Leaflet: taken \'on the days that you receive LEMTRADA treatment, and for one '
        "month following the treatment' (e.g. aciclovir 200 mg twice daily); the prescriber may "
        'continue it longer."\n'
        'sources = ["S11", "S18"]\n'
        '\n'
        '[[rules]]\n'
        'id = "listeria-diet"\n'
        'title = "Listeria food precautions"\n'
        'short = "Listeria precautions"\n'
        'kind = "window"\n'
        'when = "each-course"\n'
        'from = { anchor = "course.first", days = -14 }\n'
        'until = { anchor = "course.last", months = 1 }\n'
        'note = "Two weeks before, during and for at least one month after each course."\n'
        'sources = ["S11"]\n'
        '\n'
        '[[rules]]\n'
        'id = "contraception"\n'
        'title = "Effective contraception"\n'
        'short = "Contraception"\n'
        'kind = "window"\n'
        'when = "each-course"\n'
        'from = { anchor = "course.first" }\n'
        'until = { anchor = "course.last", months = 4 }\n'
        'sex = "female"\n'
        'note = "During each course and for 4 months after it."\n'
        'sources = ["S11"]\n'
        '\n'
        '[[rules]]\n'
        'id = "urgent-symptom-alert"\n'
        'title = "Urgent-symptom watch: stroke, heart, bleeding"\n'
        'short = "Urgent-symptom watch"\n'
        'kind = "window"\n'
        'when = "each-course"\n'
        'from = { anchor = "course.first" }\n'
        'until = { anchor = "course.last", days = 3 }\n'
        'note = "Get help right away (call the emergency number) for face drooping, weakness on '
        'one side, sudden severe headache, neck pain, chest pain, trouble breathing or coughing up '
        'blood: stroke, heart attack, torn neck artery or bleeding in the lungs, most often within '
        '1-3 days of an infusion."\n'
        'sources = ["S11", "S17"]\n'
        '\n'
        '# ---------------------------------------------------------------- monitoring\n'
        '\n'
        '[[rules]]\n'
        'id = "monthly-labs"\n'
        'title = "Monthly blood and urine tests"\n'
        'short = "Blood + urine tests"\n'
        'kind = "labs"\n'
        'when = "grid"\n'
        'every_months = 1\n'
        'visit = "labs"\n'
        'tests = ["cbc-diff", "creatinine", "urinalysis"]\n'
        'tolerance_days = 14\n'
        'note = "Monthly for 48 months after the last infusion."\n'
        'sources = ["S19", "S11", "S20", "S26"]\n'
        '\n'
        '[[rules]]\n'
        'id = "monthly-liver"\n'
        'title = "Liver tests"\n'
        'short = "Liver"\n'
        'kind = "labs"\n'
        'when = "grid"\n'
        'every_months = 1\n'
        'visit = "labs"\n'
        'tests = ["liver"]\n'
        'tolerance_days = 14\n'
        'evidence = "inferred"\n'
        'note = "MHRA 2019: \'monitor vital signs and liver function before and during '
        "treatment'; the leaflet: liver inflammation 'can be diagnosed from the blood tests that "
        "you will be having regularly'. The need is in the sources; the SmPC frequency was not "
        'found, so monthly with the blood draw is msmonitor\'s inference."\n'
        'sources = ["S16", "S11"]\n'
        '\n'
        '[[rules]]\n'
        'id = "thyroid"\n'
        'title = "Thyroid test every 3 months"\n'
        'short = "Thyroid"\n'
        'kind = "labs"\n'
        'when = "grid"\n'
        'every_months = 3\n'
        'visit = "labs"\n'
        'tests = ["tsh"]\n'
        'tolerance_days = 30\n'
        'sources = ["S26", "S20"]\n'
        '\n'
        '[[rules]]\n'
        'id = "yearly-hpv-screen"\n'
        'title = "Yearly cervical (HPV) screening"\n'
        'short = "HPV screening"\n'
        'kind = "exam"\n'
        'when = "grid"\n'
        'every_months = 12\n'
        'tests = ["hpv-screen"]\n'
        'sex = "female"\n'
        'tolerance_days = 60\n'
        'sources = ["S11"]\n'
        '\n'
        '[[rules]]\n'
        'id = "yearly-skin-exam"\n'
        'title = "Yearly skin exam"\n'
        'short = "Skin exam"\n'
        'kind = "exam"\n'
        'when = "grid"\n'
        'every_months = 12\n'
        'tests = ["skin-exam"]\n'
        'tolerance_days = 60\n'
        'evidence = "unverified"\n'
        'note = "The US label asks for \'baseline and yearly skin exams\'; the EU text checked has '
        'no skin exam."\n'
        'when_off = "Skin exams (baseline and yearly) are not in the EU schedule by default: the '
        'US label asks for them, the EU text checked does not. Ask the MS team; msmonitor adds '
        'them with --include-unverified."\n'
        'sources = ["S20"]\n'
        '\n'
        '[[rules]]\n'
        'id = "closing-labs"\n'
        'title = "Closing panel: last scheduled tests"\n'
        'short = "Closing tests"\n'
        'kind = "labs"\n'
        'when = "once"\n'
        'at = { anchor = "end" }\n'
        'visit = "labs"\n'
        'tests = ["cbc-diff", "creatinine", "urinalysis", "liver", "tsh"]\n'
        'tolerance_days = 14\n'
        'evidence = "inferred"\n'
        'note = "Covers the 48-month window up to its last day."\n'
        'sources = ["S19", "S11"]\n'
        '\n'
        '[[rules]]\n'
        'id = "monitoring-end"\n'
        'title = "End of scheduled monitoring (4 years after the last infusion)"\n'
        'short = "End of monitoring"\n'
        'kind = "end"\n'
        'when = "once"\n'
        'at = { anchor = "end" }\n'
        'note = "Yearly cervical screening (women) continues: the leaflet does not limit it to 4 '
        'years. Keep carrying the Patient Alert Card and keep reporting bleeding, urine, thyroid '
        'and liver symptoms; further tests based on clinical findings."\n'
        'sources = ["S11", "S19"]\n'
        '\n'
        '# ---------------------------------------------------------------- symptoms to report\n'
        "# The symptom card groups signs by what to do, in the label's words, most\n"
        '# urgent first; a sign appears once, under the most urgent action of any\n'
        '# condition that lists it. Urgent groups also print on every course checklist.\n'
        '\n'
        '[card]\n'
        'keep = "with you during treatment and for 4 years after your last infusion, and keep '
        'carrying it after that"\n'
        'reminders = [\n'
        '  "Show this card to any doctor or nurse who treats you, even for something other than '
        'MS.",\n'
        '  "Tell your MS team if you become pregnant: an untreated thyroid disorder could harm '
        'your baby.",\n'
        '  "No live vaccines after a course of LEMTRADA: ask your MS team before any vaccine.",\n'
        '  "Keep having every monthly blood and urine test, even when you feel well.",\n'
        ']\n'
        'sources = ["S11"]\n'
        '\n'
        '[[symptoms]]\n'
        'id = "emergency"\n'
        'title = "Get help right away"\n'
        'urgent = true\n'
        'action = "Seek immediate medical attention: call the emergency number. Stroke, heart '
        'attack, torn neck artery or bleeding in the lungs: most often 1 to 3 days after an '
        'infusion."\n'
        'signs = [\n'
        '  "Trouble breathing or shortness of breath",\n'
        '  "Coughing up blood",\n'
        '  "Chest pain or tightness",\n'
        '  "Sudden drooping of part of the face",\n'
        '  "Sudden weakness on one side of the body",\n'
        '  "Sudden difficulty with speech",\n'
        '  "Sudden severe headache, or neck pain",\n'
        ']\n'
        'sources = ["S11"]\n'
        '\n'
        '[[symptoms]]\n'
        'id = "immediately"\n'
        'title = "Call your doctor immediately"\n'
        'urgent = true\n'
        'action = "Call your doctor immediately. If you cannot reach your doctor, you must seek '
        'immediate medical attention."\n'
        'signs = [\n'
        '  "Small red, pink or purple spots, or red pinpoint dots, on the skin or in the mouth, '
        'with or without extreme tiredness, fever, confusion or speech changes (too few platelets: '
        'immune thrombocytopenia, ITP, or thrombotic thrombocytopenic purpura, TTP)",\n'
        '  "Bruising easily; bleeding from a cut that is slow to stop; new or longer bleeding from '
        'the gums or nose; painful or swollen joints; any other unusual bleeding (ITP, or acquired '
        'haemophilia A, a bleeding disorder)",\n'
        '  "Heavier, longer or more frequent periods, or bleeding between periods",\n'
        '  "Blood in the urine (red or tea-coloured), dark urine, passing little urine, or '
        'swelling in the legs or feet (kidney disease, TTP)",\n'
        '  "Yellow skin or eyes",\n'
        '  "Several together: fever, swollen glands, bruising, skin rash (haemophagocytic '
        'lymphohistiocytosis, HLH: an overactive immune system)",\n'
        '  "Fever over 39 °C (102.2 °F) for more than a week, with painful or stiff joints or a '
        'rash (adult-onset Still\'s disease, an inflammatory illness)",\n'
        '  "Fever with headache, stiff neck or confusion (Listeria meningitis, an infection caught '
        'from food)",\n'
        '  "Weakness or clumsiness, vision problems, speech difficulties or confusion that get '
        'worse over days or weeks (progressive multifocal leukoencephalopathy, PML: a rare brain '
        'infection)",\n'
        '  "Changes in behaviour, mood, thinking or memory, or seizures (fits); these can look '
        'like an MS relapse (autoimmune encephalitis, brain inflammation; or PML)",\n'
        ']\n'
        'note = "Tell your family or carers about your treatment: they may notice changes in '
        'thinking or behaviour before you do."\n'
        'sources = ["S11"]\n'
        '\n'
        '[[symptoms]]\n'
        'id = "right-away"\n'
        'title = "Call your doctor right away"\n'
        'action = "Call your doctor right away to report them: these problems can start many years '
        'after treatment."\n'
        'signs = [\n'
        '  "Fever or chills, swollen glands, cold sores or shingles (infection)",\n'
        '  "Excessive sweating, unexplained weight loss or gain, eye swelling, nervousness, fast '
        'heartbeat, feeling cold, worsening tiredness, new constipation (thyroid)",\n'
        '  "Nausea, vomiting, stomach pain or loss of appetite (liver, gallbladder)",\n'
        '  "New cough or wheezing, or a dry cough that persists (lung inflammation, '
        'sarcoidosis)",\n'
        '  "In the 2 days after an infusion, once home: rash, hives, itching, flushing, fever, '
        'chills, headache, dizziness or a changed heartbeat (infusion reaction)",\n'
        '  "A new lump or swelling in the neck (thyroid cancer); a new mole, or a mole that '
        'changes (melanoma, skin cancer)",\n'
        ']\n'
        'sources = ["S11", "S6"]\n',
        {'schema': 'msmonitor.protocol/1',
         'id': 'eu',
         'title': 'Alemtuzumab (Lemtrada) monitoring, EU SmPC and package leaflet (2020 update)',
         'version': '2026.12.2',
         'notice': 'Liver tests are scheduled monthly with the blood draw: the sources require '
                   'them before and during treatment, the monthly frequency is inferred. Skin '
                   'exams, baseline ECG and post-infusion platelet counts were not found in the '
                   'archived EU text: they are unverified and off by default (--include-unverified '
                   'schedules them, marked).',
         'sources': {'S6': {'document': 'LEMTRADA Important Safety Information (US, after '
                                        '09/2020): cited for signs that the archived EU leaflet '
                                        'text does not list',
                            'where': 'lemtradahcp.com Important Safety Information'},
                     'S11': {'document': 'EU Package Leaflet (after the 2020 Article-20 update)',
                             'where': 'EU PIL, sections 2-3 (FHIR ePI bundle, 2022-02-16)'},
                     'S12': {'document': 'EU SmPC 2013, sections 4.2 and 4.4',
                             'where': 'EU SmPC 4.2 (original label)'},
                     'S13': {'document': 'Label based on the 2020 EU SmPC, Dosage',
                             'where': 'https://prdmimsweb.azurewebsites.net/malaysia/drug/info/lemtrada/dosage'},
                     'S16': {'document': 'MHRA Drug Safety Update, May 2019 (interim measures)',
                             'where': 'https://www.gov.uk/drug-safety-update/lemtrada-alemtuzumab-and-serious-cardiovascular-and-immune-mediated-adverse-reactions-new-restrictions-to-use-and-strengthened-monitoring-requirements'},
                     'S17': {'document': 'MHRA Drug Safety Update, February 2020 (as summarised)',
                             'where': 'https://www.medicinesresources.nhs.uk/drug-safety-update-lemtrada-alemtuzumab-updated-restrictions-and-strengthened-monitoring-requirements-following-review-of-serious-cardiovascular-and-immune-mediated-reactions.html'},
                     'S18': {'document': 'EU RMP prescriber checklist (Sweden, Checklista for '
                                         'forskrivare)',
                             'where': 'https://studylibsv.com/doc/878460/lemtrada-checklista'},
                     'S19': {'document': 'Belgian consensus on ITP after alemtuzumab (describes '
                                         'the EU RMP), 2018',
                             'where': 'https://link.springer.com/article/10.1007/s13760-018-0882-3/fulltext.html'},
                     'S20': {'document': 'Practice-guide table (UK centre practice plus an SmPC '
                                         'summary)',
                             'where': 'https://pmc.ncbi.nlm.nih.gov/articles/PMC6169984/table/A032029TB2'},
                     'S26': {'document': 'Benefit:risk review of the alemtuzumab clinical '
                                         'programme (TCRM 2017)',
                             'where': 'https://pmc.ncbi.nlm.nih.gov/articles/PMC5652900'}},
         'courses': {'first_course_days': 5,
                     'later_course_days': 3,
                     'course2_after_months': 12,
                     'later_gap_months': 12,
                     'max_courses': 4,
                     'sources': ['S13', 'S12', 'S11']},
         'monitoring': {'months_after_last_dose': 48, 'sources': ['S19', 'S11', 'S13']},
         'tests': {'cbc-diff': {'name': 'Complete blood count with differential',
                                'short': 'blood count',
                                'why': 'Finds a falling platelet count (immune thrombocytopenia) '
                                       'and other blood problems early.'},
                   'creatinine': {'name': 'Serum creatinine',
                                  'short': 'kidney',
                                  'why': 'Checks kidney function: finds an immune attack on the '
                                         'kidneys (anti-GBM disease) and other kidney injury.'},
                   'urinalysis': {'name': 'Urinalysis with microscopy',
                                  'short': 'urine',
                                  'why': 'Looks for blood or protein in the urine, an early sign '
                                         'of kidney disease.'},
                   'liver': {'name': 'Liver tests (ALT, AST, total bilirubin)',
                             'short': 'liver',
                             'why': 'Detects liver injury, including autoimmune hepatitis.'},
                   'tsh': {'name': 'Thyroid function (TSH)',
                           'short': 'thyroid',
                           'why': 'Detects thyroid disease, the most common autoimmune effect.'},
                   'skin-exam': {'name': 'Skin examination',
                                 'short': 'skin exam',
                                 'why': 'Looks for melanoma (in the US label; not found in the EU '
                                        'material checked).'},
                   'hpv-screen': {'name': 'Cervical (HPV) screening',
                                  'short': 'HPV screening',
                                  'why': 'Yearly screening: HPV-related disease is more frequent '
                                         'after alemtuzumab.'},
                   'pregnancy-test': {'name': 'Pregnancy test',
                                      'short': 'pregnancy test',
                                      'why': 'Rules out pregnancy before an infusion course.'},
                   'vzv-antibodies': {'name': 'Varicella-zoster (chickenpox) antibodies',
                                      'short': 'chickenpox antibodies',
                                      'why': 'Without chickenpox history or vaccination: finds who '
                                             'needs the VZV vaccine first.'},
                   'tb-screen': {'name': 'Tuberculosis screening',
                                 'short': 'tuberculosis',
                                 'why': 'Finds active or latent tuberculosis, per local '
                                        'guidelines.'},
                   'hepatitis-b': {'name': 'Hepatitis B screening, if at high risk',
                                   'short': 'hepatitis B if high risk',
                                   'why': "The label: 'consider screening patients at high risk'. "
                                          'Carriers need caution.'},
                   'hepatitis-c': {'name': 'Hepatitis C screening, if at high risk',
                                   'short': 'hepatitis C if high risk',
                                   'why': "The label: 'consider screening patients at high risk'. "
                                          'Carriers need caution.'},
                   'hiv': {'name': 'HIV test',
                           'short': 'HIV',
                           'why': 'HIV infection is a contraindication.'},
                   'platelet-count': {'name': 'Platelet count after the infusion',
                                      'short': 'platelets',
                                      'why': 'Catches the drop in platelets that can start at the '
                                             'time of the infusion.'},
                   'ecg': {'name': 'Electrocardiogram (ECG)',
                           'short': 'ECG',
                           'why': 'Baseline heart rhythm before infusions.'}},
         'rules': [{'id': 'baseline-labs',
                    'title': 'Baseline labs',
                    'kind': 'baseline-labs',
                    'when': 'once',
                    'from': {'anchor': 'course1.first', 'days': -30},
                    'until': {'anchor': 'course1.first', 'days': -1},
                    'tests': ['cbc-diff', 'creatinine', 'urinalysis', 'tsh', 'liver'],
                    'evidence': 'inferred',
                    'note': 'Before treatment starts; the 30-day window follows the US REMS, the '
                            "EU text says 'prior to initiation'.",
                    'sources': ['S18', 'S19', 'S16', 'S11']},
                   {'id': 'screening',
                    'title': 'Infection screening',
                    'kind': 'screening',
                    'when': 'once',
                    'at': {'anchor': 'course1.first', 'days': -90},
                    'tests': ['vzv-antibodies', 'tb-screen', 'hepatitis-b', 'hepatitis-c', 'hiv'],
                    'evidence': 'inferred',
                    'note': 'First step, as early as possible: screen, then vaccinate if needed '
                            '(chickenpox if never had), then wait at least 6 weeks, then treat. '
                            'Never accepted after the vaccination deadline; the 90-day lead is '
                            "msmonitor's choice.",
                    'tolerance_days': 48,
                    'before': 'vaccinations',
                    'visit': 'screening',
                    'sources': ['S18', 'S11']},
                   {'id': 'contraindications',
                    'title': 'Contraindications checked',
                    'short': 'Contraindications',
                    'kind': 'screening',
                    'when': 'once',
                    'at': {'anchor': 'course1.first', 'days': -90},
                    'visit': 'screening',
                    'evidence': 'inferred',
                    'note': "Leaflet, 'Do not use LEMTRADA': allergy to alemtuzumab or the other "
                            'ingredients; HIV; a serious infection; other autoimmune disease '
                            'besides MS; uncontrolled high blood pressure; history of tears in '
                            'blood vessels supplying the brain, of stroke, of heart attack or '
                            'chest pain, or of a bleeding disorder. Checked at the first '
                            "pre-treatment visit (msmonitor's date) and again before each course.",
                    'sources': ['S11']},
                   {'id': 'immunosuppressants',
                    'title': 'Previous and current immunosuppressants reviewed; washout planned',
                    'short': 'Immunosuppressant review',
                    'kind': 'screening',
                    'when': 'once',
                    'at': {'anchor': 'course1.first', 'days': -90},
                    'visit': 'screening',
                    'evidence': 'inferred',
                    'note': "Leaflet: other treatments that affect the immune system 'could affect "
                            'your ability to fight infections. If you are using such a medicine, '
                            'your doctor may ask you to stop this medicine before starting '
                            "treatment'; PML was reported after 'prior treatment with MS products "
                            "associated with PML'. Washout depends on the drug: the leaflet gives "
                            'none.',
                    'sources': ['S11']},
                   {'id': 'baseline-skin-exam',
                    'title': 'Baseline skin exam',
                    'short': 'Skin exam',
                    'kind': 'screening',
                    'when': 'once',
                    'at': {'anchor': 'course1.first', 'days': -42},
                    'tests': ['skin-exam'],
                    'evidence': 'unverified',
                    'tolerance_days': 42,
                    'sources': ['S20']},
                   {'id': 'baseline-hpv-screen',
                    'title': 'Cervical (HPV) screening',
                    'short': 'HPV screening',
                    'kind': 'screening',
                    'when': 'once',
                    'at': {'anchor': 'course1.first', 'days': -42},
                    'tests': ['hpv-screen'],
                    'sex': 'female',
                    'evidence': 'inferred',
                    'note': 'The leaflet asks for annual screening; the first one is placed before '
                            'treatment.',
                    'tolerance_days': 42,
                    'sources': ['S11']},
                   {'id': 'vaccinations',
                    'title': 'Vaccinations complete (VZV if antibody-negative)',
                    'short': 'Vaccinations',
                    'kind': 'vaccination',
                    'when': 'each-course',
                    'at': {'anchor': 'course.first', 'days': -42},
                    'note': "After screening: 'Any vaccination will need to be given to you at "
                            "least 6 weeks before starting a LEMTRADA treatment course.' No live "
                            'viral vaccines after a course.',
                    'sources': ['S11', 'S18']},
                   {'id': 'alert-card',
                    'title': 'Patient Alert Card and Guide',
                    'short': 'Alert card',
                    'kind': 'counselling',
                    'when': 'once',
                    'at': {'anchor': 'course1.first', 'days': -14},
                    'visit': 'counselling',
                    'note': 'Carry the card during treatment and for 4 years after the last '
                            'infusion, and keep carrying it after that. The leaflet gives no day '
                            'for handing it out: msmonitor puts it with the Listeria advice.',
                    'evidence': 'inferred',
                    'sources': ['S11', 'S13']},
                   {'id': 'counsel-listeria',
                    'title': 'Listeria diet explained',
                    'short': 'Listeria diet talk',
                    'kind': 'counselling',
                    'when': 'once',
                    'at': {'anchor': 'course1.first', 'days': -14},
                    'visit': 'counselling',
                    'note': 'No uncooked or undercooked meat, soft cheeses or unpasteurised dairy '
                            "'two weeks before treatment, during the treatment and for at least "
                            "one month after'. Explained when that window opens (msmonitor's "
                            'date).',
                    'evidence': 'inferred',
                    'sources': ['S11']},
                   {'id': 'counsel-contraception',
                    'title': 'Contraception discussed',
                    'short': 'Contraception talk',
                    'kind': 'counselling',
                    'when': 'once',
                    'at': {'anchor': 'course1.first', 'days': -14},
                    'visit': 'counselling',
                    'sex': 'female',
                    'note': 'Effective contraception during each course and for 4 months after it; '
                            'no breast-feeding in that time.',
                    'sources': ['S11']},
                   {'id': 'pregnancy-test',
                    'title': 'Pregnancy test before the first infusion of course {course}',
                    'short': 'Pregnancy test',
                    'kind': 'course-test',
                    'when': 'each-course',
                    'at': {'anchor': 'course.first'},
                    'tests': ['pregnancy-test'],
                    'sex': 'female',
                    'evidence': 'inferred',
                    'note': 'Pregnancy excluded before each course, in women who could become '
                            'pregnant; the test is practice, not label text.',
                    'tolerance_days': 7,
                    'sources': ['S11']},
                   {'id': 'course-readiness',
                    'title': 'No active infection or fever today',
                    'short': 'Readiness check',
                    'kind': 'course-test',
                    'when': 'each-course',
                    'at': {'anchor': 'course.first'},
                    'visit': 'readiness',
                    'evidence': 'inferred',
                    'note': "'Do not use LEMTRADA ... if you are suffering from a serious "
                            "infection'; 'your doctor should delay the treatment until the "
                            "infection is resolved'. Checked on day 1 of each course (msmonitor's "
                            'choice of day).',
                    'sources': ['S11']},
                   {'id': 'course-labs-reviewed',
                    'title': 'Latest blood count, creatinine and urinalysis reviewed',
                    'short': 'Latest labs reviewed',
                    'kind': 'course-test',
                    'when': 'each-course',
                    'at': {'anchor': 'course.first'},
                    'visit': 'readiness',
                    'evidence': 'inferred',
                    'note': 'Course 1: the baseline labs; later courses: the latest monthly draw '
                            '(one always falls within the month before).',
                    'sources': ['S11', 'S19']},
                   {'id': 'baseline-ecg',
                    'title': 'ECG before the first infusion of course {course}',
                    'short': 'ECG',
                    'kind': 'course-test',
                    'when': 'each-course',
                    'at': {'anchor': 'course.first'},
                    'tests': ['ecg'],
                    'evidence': 'unverified',
                    'tolerance_days': 7,
                    'sources': ['S16', 'S17']},
                   {'id': 'infusion',
                    'title': 'Infusion day {day} of {days}',
                    'kind': 'infusion',
                    'when': 'each-infusion-day',
                    'visit': 'infusion',
                    'note': '12 mg alemtuzumab IV over about 4 hours, in a hospital with ready '
                            'access to intensive care.',
                    'sources': ['S13', 'S12']},
                   {'id': 'premedication',
                    'title': 'Corticosteroid premedication',
                    'kind': 'infusion',
                    'when': 'each-infusion-day',
                    'course_days': [1, 2, 3],
                    'visit': 'infusion',
                    'note': 'Immediately before the infusion on each of the first 3 days of any '
                            'course.',
                    'sources': ['S12', 'S11']},
                   {'id': 'observation',
                    'title': 'Vital signs; 2-hour observation',
                    'kind': 'infusion',
                    'when': 'each-infusion-day',
                    'visit': 'infusion',
                    'note': 'Blood pressure and vital signs before and during the infusion; '
                            'observation for 2 hours after it ends.',
                    'sources': ['S11', 'S16']},
                   {'id': 'platelets-course1',
                    'title': 'Platelet count after the infusion',
                    'kind': 'infusion',
                    'when': 'each-infusion-day',
                    'courses': 'first',
                    'course_days': [3, 5],
                    'visit': 'infusion',
                    'tests': ['platelet-count'],
                    'evidence': 'unverified',
                    'sources': ['S17']},
                   {'id': 'platelets-later',
                    'title': 'Platelet count after the infusion',
                    'kind': 'infusion',
                    'when': 'each-infusion-day',
                    'courses': 'later',
                    'course_days': [3],
                    'visit': 'infusion',
                    'tests': ['platelet-count'],
                    'evidence': 'unverified',
                    'sources': ['S17']},
                   {'id': 'antiviral-prophylaxis',
                    'title': 'Antiviral (herpes) prophylaxis, at least until {until}',
                    'short': 'Herpes antiviral minimum',
                    'kind': 'window',
                    'when': 'each-course',
                    'from': {'anchor': 'course.first'},
                    'until': {'anchor': 'course.last', 'months': 1},
                    'note': "Leaflet: taken 'on the days that you receive LEMTRADA treatment, and "
                            "for one month following the treatment' (e.g. aciclovir 200 mg twice "
                            'daily); the prescriber may continue it longer.',
                    'sources': ['S11', 'S18']},
                   {'id': 'listeria-diet',
                    'title': 'Listeria food precautions',
                    'short': 'Listeria precautions',
                    'kind': 'window',
                    'when': 'each-course',
                    'from': {'anchor': 'course.first', 'days': -14},
                    'until': {'anchor': 'course.last', 'months': 1},
                    'note': 'Two weeks before, during and for at least one month after each '
                            'course.',
                    'sources': ['S11']},
                   {'id': 'contraception',
                    'title': 'Effective contraception',
                    'short': 'Contraception',
                    'kind': 'window',
                    'when': 'each-course',
                    'from': {'anchor': 'course.first'},
                    'until': {'anchor': 'course.last', 'months': 4},
                    'sex': 'female',
                    'note': 'During each course and for 4 months after it.',
                    'sources': ['S11']},
                   {'id': 'urgent-symptom-alert',
                    'title': 'Urgent-symptom watch: stroke, heart, bleeding',
                    'short': 'Urgent-symptom watch',
                    'kind': 'window',
                    'when': 'each-course',
                    'from': {'anchor': 'course.first'},
                    'until': {'anchor': 'course.last', 'days': 3},
                    'note': 'Get help right away (call the emergency number) for face drooping, '
                            'weakness on one side, sudden severe headache, neck pain, chest pain, '
                            'trouble breathing or coughing up blood: stroke, heart attack, torn '
                            'neck artery or bleeding in the lungs, most often within 1-3 days of '
                            'an infusion.',
                    'sources': ['S11', 'S17']},
                   {'id': 'monthly-labs',
                    'title': 'Monthly blood and urine tests',
                    'short': 'Blood + urine tests',
                    'kind': 'labs',
                    'when': 'grid',
                    'every_months': 1,
                    'visit': 'labs',
                    'tests': ['cbc-diff', 'creatinine', 'urinalysis'],
                    'tolerance_days': 14,
                    'note': 'Monthly for 48 months after the last infusion.',
                    'sources': ['S19', 'S11', 'S20', 'S26']},
                   {'id': 'monthly-liver',
                    'title': 'Liver tests',
                    'short': 'Liver',
                    'kind': 'labs',
                    'when': 'grid',
                    'every_months': 1,
                    'visit': 'labs',
                    'tests': ['liver'],
                    'tolerance_days': 14,
                    'evidence': 'inferred',
                    'note': "MHRA 2019: 'monitor vital signs and liver function before and during "
                            "treatment'; the leaflet: liver inflammation 'can be diagnosed from "
                            "the blood tests that you will be having regularly'. The need is in "
                            'the sources; the SmPC frequency was not found, so monthly with the '
                            "blood draw is msmonitor's inference.",
                    'sources': ['S16', 'S11']},
                   {'id': 'thyroid',
                    'title': 'Thyroid test every 3 months',
                    'short': 'Thyroid',
                    'kind': 'labs',
                    'when': 'grid',
                    'every_months': 3,
                    'visit': 'labs',
                    'tests': ['tsh'],
                    'tolerance_days': 30,
                    'sources': ['S26', 'S20']},
                   {'id': 'yearly-hpv-screen',
                    'title': 'Yearly cervical (HPV) screening',
                    'short': 'HPV screening',
                    'kind': 'exam',
                    'when': 'grid',
                    'every_months': 12,
                    'tests': ['hpv-screen'],
                    'sex': 'female',
                    'tolerance_days': 60,
                    'sources': ['S11']},
                   {'id': 'yearly-skin-exam',
                    'title': 'Yearly skin exam',
                    'short': 'Skin exam',
                    'kind': 'exam',
                    'when': 'grid',
                    'every_months': 12,
                    'tests': ['skin-exam'],
                    'tolerance_days': 60,
                    'evidence': 'unverified',
                    'note': "The US label asks for 'baseline and yearly skin exams'; the EU text "
                            'checked has no skin exam.',
                    'when_off': 'Skin exams (baseline and yearly) are not in the EU schedule by '
                                'default: the US label asks for them, the EU text checked does '
                                'not. Ask the MS team; msmonitor adds them with '
                                '--include-unverified.',
                    'sources': ['S20']},
                   {'id': 'closing-labs',
                    'title': 'Closing panel: last scheduled tests',
                    'short': 'Closing tests',
                    'kind': 'labs',
                    'when': 'once',
                    'at': {'anchor': 'end'},
                    'visit': 'labs',
                    'tests': ['cbc-diff', 'creatinine', 'urinalysis', 'liver', 'tsh'],
                    'tolerance_days': 14,
                    'evidence': 'inferred',
                    'note': 'Covers the 48-month window up to its last day.',
                    'sources': ['S19', 'S11']},
                   {'id': 'monitoring-end',
                    'title': 'End of scheduled monitoring (4 years after the last infusion)',
                    'short': 'End of monitoring',
                    'kind': 'end',
                    'when': 'once',
                    'at': {'anchor': 'end'},
                    'note': 'Yearly cervical screening (women) continues: the leaflet does not '
                            'limit it to 4 years. Keep carrying the Patient Alert Card and keep '
                            'reporting bleeding, urine, thyroid and liver symptoms; further tests '
                            'based on clinical findings.',
                    'sources': ['S11', 'S19']}],
         'card': {'keep': 'with you during treatment and for 4 years after your last infusion, and '
                          'keep carrying it after that',
                  'reminders': ['Show this card to any doctor or nurse who treats you, even for '
                                'something other than MS.',
                                'Tell your MS team if you become pregnant: an untreated thyroid '
                                'disorder could harm your baby.',
                                'No live vaccines after a course of LEMTRADA: ask your MS team '
                                'before any vaccine.',
                                'Keep having every monthly blood and urine test, even when you '
                                'feel well.'],
                  'sources': ['S11']},
         'symptoms': [{'id': 'emergency',
                       'title': 'Get help right away',
                       'urgent': True,
                       'action': 'Seek immediate medical attention: call the emergency number. '
                                 'Stroke, heart attack, torn neck artery or bleeding in the lungs: '
                                 'most often 1 to 3 days after an infusion.',
                       'signs': ['Trouble breathing or shortness of breath',
                                 'Coughing up blood',
                                 'Chest pain or tightness',
                                 'Sudden drooping of part of the face',
                                 'Sudden weakness on one side of the body',
                                 'Sudden difficulty with speech',
                                 'Sudden severe headache, or neck pain'],
                       'sources': ['S11']},
                      {'id': 'immediately',
                       'title': 'Call your doctor immediately',
                       'urgent': True,
                       'action': 'Call your doctor immediately. If you cannot reach your doctor, '
                                 'you must seek immediate medical attention.',
                       'signs': ['Small red, pink or purple spots, or red pinpoint dots, on the '
                                 'skin or in the mouth, with or without extreme tiredness, fever, '
                                 'confusion or speech changes (too few platelets: immune '
                                 'thrombocytopenia, ITP, or thrombotic thrombocytopenic purpura, '
                                 'TTP)',
                                 'Bruising easily; bleeding from a cut that is slow to stop; new '
                                 'or longer bleeding from the gums or nose; painful or swollen '
                                 'joints; any other unusual bleeding (ITP, or acquired haemophilia '
                                 'A, a bleeding disorder)',
                                 'Heavier, longer or more frequent periods, or bleeding between '
                                 'periods',
                                 'Blood in the urine (red or tea-coloured), dark urine, passing '
                                 'little urine, or swelling in the legs or feet (kidney disease, '
                                 'TTP)',
                                 'Yellow skin or eyes',
                                 'Several together: fever, swollen glands, bruising, skin rash '
                                 '(haemophagocytic lymphohistiocytosis, HLH: an overactive immune '
                                 'system)',
                                 'Fever over 39 °C (102.2 °F) for more than a week, with painful '
                                 "or stiff joints or a rash (adult-onset Still's disease, an "
                                 'inflammatory illness)',
                                 'Fever with headache, stiff neck or confusion (Listeria '
                                 'meningitis, an infection caught from food)',
                                 'Weakness or clumsiness, vision problems, speech difficulties or '
                                 'confusion that get worse over days or weeks (progressive '
                                 'multifocal leukoencephalopathy, PML: a rare brain infection)',
                                 'Changes in behaviour, mood, thinking or memory, or seizures '
                                 '(fits); these can look like an MS relapse (autoimmune '
                                 'encephalitis, brain inflammation; or PML)'],
                       'note': 'Tell your family or carers about your treatment: they may notice '
                               'changes in thinking or behaviour before you do.',
                       'sources': ['S11']},
                      {'id': 'right-away',
                       'title': 'Call your doctor right away',
                       'action': 'Call your doctor right away to report them: these problems can '
                                 'start many years after treatment.',
                       'signs': ['Fever or chills, swollen glands, cold sores or shingles '
                                 '(infection)',
                                 'Excessive sweating, unexplained weight loss or gain, eye '
                                 'swelling, nervousness, fast heartbeat, feeling cold, worsening '
                                 'tiredness, new constipation (thyroid)',
                                 'Nausea, vomiting, stomach pain or loss of appetite (liver, '
                                 'gallbladder)',
                                 'New cough or wheezing, or a dry cough that persists (lung '
                                 'inflammation, sarcoidosis)',
                                 'In the 2 days after an infusion, once home: rash, hives, '
                                 'itching, flushing, fever, chills, headache, dizziness or a '
                                 'changed heartbeat (infusion reaction)',
                                 'A new lump or swelling in the neck (thyroid cancer); a new mole, '
                                 'or a mole that changes (melanoma, skin cancer)'],
                       'sources': ['S11', 'S6']}]})}
