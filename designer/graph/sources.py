"""The sources registry: every published source the product cites.

Rules, exemplar evidence and exports cite sources by a registry id (``nice-ng180``),
optionally with the part that applies (``nice-ng180#1.1.1``). Each entry says
what the source is (title, publisher, year where known, address) and, in
``facts``, what the product takes from it, written in our own words. The facts
carry the figures the exemplars and rules quote, so a test can check that every
figure in the library comes from the source it cites.

``weak`` is set when a source is non-UK, secondary or unpublished; anything
that rests on it must say so wherever the product uses it. Titles are the
sources' own where they were recorded; for a few web pages and articles known
only by their address or DOI the title describes the source, and ``year`` is
None wherever the year of publication was not recorded.

Plain data, no Qt: the command line, the rules, the library and the exports all
read it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Source:
    """One published source.

    Attributes
    ----------
    id
        The registry id, e.g. ``"nice-ng180"`` (stable: rules and files cite it).
    title
        The source's title.
    publisher
        Who published it.
    year
        Year of publication where known, else None.
    url
        Where to read it (None for a source with no public address).
    section
        The part of the source the product uses, where one part applies.
    weak
        Why the source is weak (non-UK, secondary, unpublished), or None.
    facts
        What the product takes from the source, in our own words.
    """

    id: str
    title: str
    publisher: str
    year: int | None
    url: str | None
    section: str | None = None
    weak: str | None = None
    facts: tuple[str, ...] = ()

    def citation(self, section: str | None = None) -> str:
        """A one-line reference: "Publisher. Title (year), section. URL"."""
        year = f" ({self.year})" if self.year else ""
        part = section or self.section
        where = f", {part}" if part else ""
        url = f" {self.url}" if self.url else ""
        weak = " [weak source]" if self.weak else ""
        return f"{self.publisher}. {self.title}{year}{where}.{url}{weak}"

    def short(self, section: str | None = None) -> str:
        """Publisher, title and year only: "NICE, Perioperative care in adults, 2020"."""
        year = f", {self.year}" if self.year else ""
        part = section or self.section
        where = f" ({part})" if part else ""
        return f"{self.publisher}, {self.title}{year}{where}"


_NICE = "National Institute for Health and Care Excellence (NICE)"
_CPOC = "Centre for Perioperative Care (CPOC)"
_NHSE = "NHS England"
_RCOA = "Royal College of Anaesthetists (RCoA)"

_ALL: tuple[Source, ...] = (
    # ---------------------------------------------------------------- pathway phases
    Source("rcoa-periop-programme", "Perioperative Medicine programme", _RCOA, None,
           "https://www.rcoa.ac.uk/periopmed/programme",
           facts=("Perioperative care is patient-centred, multidisciplinary and joined up "
                  "from the moment surgery is contemplated until full recovery.",)),
    Source("rcoa-gpas-2", "Guidelines for the Provision of Anaesthesia Services (GPAS), "
           "chapter 2: perioperative care of elective and urgent care patients", _RCOA, None,
           "https://rcoa.ac.uk/gpas/chapter-2",
           facts=("The GP prepares the patient for referral and starts shared decision "
                  "making, which continues through the journey.",
                  "Leave enough time between the decision to operate and the operation.",
                  "Preoperative assessment plans admission and discharge and reduces "
                  "cancellations on the day.")),
    Source("nhse-periop-playbook", "Perioperative digital playbook: the perioperative "
           "pathway", "NHS England Transformation Directorate", None,
           "https://transform.england.nhs.uk/key-tools-and-info/digital-playbooks/"
           "perioperative-digital-playbook/perioperative-pathway/",
           facts=("9 steps: primary care and referral; shared decision making and consent; "
                  "prehabilitation; education; preoperative assessment; intraoperative care; "
                  "postoperative inpatient care; discharge, PROMs and virtual wards; "
                  "surgical follow-up including patient-initiated follow-up (PIFU).",
                  "At discharge: a letter to primary care, a self-care plan and a named "
                  "surgical contact.")),
    Source("cpoc-periop-care", "What is perioperative care", _CPOC, None,
           "https://www.cpoc.org.uk/node/461",
           facts=("Arrange discharge before surgery.",
                  "Shared decision making puts the patient at the centre.",
                  "The weeks before surgery are a teachable moment for smoking, diabetes, "
                  "weight and exercise.")),
    Source("cpoc-rcs-preop-2021", "Preoperative assessment and optimisation for adult "
           "surgery", "Centre for Perioperative Care and Royal College of Surgeons of "
           "England", 2021,
           "https://www.pslhub.org/learn/patient-safety-in-health-and-care/high-risk-areas/"
           "surgery/royal-college-of-surgeons-of-england-preoperative-assessment-and-"
           "optimisation-for-adult-surgery-june-2021-r5944/",
           facts=("Covers everyone considered for, or waiting for, planned surgery.",
                  "Shared decision making starts as early as surgery is contemplated.",
                  "Close the gap between primary and secondary care.")),
    Source("rcoa-preassessment-clinic", "Anaesthesia explained: the pre-assessment clinic",
           _RCOA, 2019,
           "https://rcoa.ac.uk/documents/anaesthesia-explained/pre-assessment-clinic",
           facts=("At the pre-assessment clinic patients may be asked about the medicines "
                  "they take (including ones bought over the counter, vitamins and herbal "
                  "remedies), their smoking and the amount of alcohol they drink.",
                  "An accurate list of medicines is very important: bring the medicines "
                  "themselves or a complete list from the GP.")),
    Source("ukcpa-periop-medicines", "Handbook of Perioperative Medicines",
           "UK Clinical Pharmacy Association (UKCPA)", None,
           "https://periop-handbook.ukclinicalpharmacy.org/about-us",
           facts=("National guidance, first published in 2016 and supported by the RCoA and "
                  "CPOC, on managing a patient's regular medicines around surgery: for each "
                  "medicine, whether to continue or stop it before planned or emergency "
                  "surgery and what to do after the operation.",
                  "Both stopping and continuing a regular medicine around surgery carry "
                  "risks, which the guidance weighs medicine by medicine.")),
    Source("nhse-earlier-screening", "Earlier screening, risk assessment and health "
           "optimisation in perioperative pathways", f"{_NHSE}, with CPOC and RCoA", 2023,
           "https://www.england.nhs.uk/long-read/earlier-screening-risk-assessment-and-"
           "health-optimisation-in-perioperative-pathways/",
           facts=("Optimise health as early as possible in the pathway.",
                  "Digital pathways need support for people who cannot use them.",
                  "Perioperative care coordinators take on non-clinical tasks.")),
    Source("jbds-seven-stages", "Joint British Diabetes Societies model of perioperative "
           "diabetes care", "Joint British Diabetes Societies (JBDS)", None,
           "https://acemap.info/paper/102904423",
           facts=("7 stages with named responsibilities: primary care referral, surgical "
                  "outpatients, preoperative assessment, admission, surgery, postoperative "
                  "care and discharge.",)),
    Source("nice-ng180", "Perioperative care in adults (NG180)", _NICE, 2020,
           "https://www.nice.org.uk/guidance/ng180/chapter/Recommendations",
           facts=("1.1.1: give a named point of contact when surgery is booked.",
                  "1.2: enhanced recovery with parts before, during and after the "
                  "operation for planned major or complex surgery.",
                  "1.3.1: use a validated risk tool and discuss risk as part of shared "
                  "decision making.",
                  "1.3.2: support lifestyle change such as stopping smoking.")),
    Source("nice-ng27", "Transition between inpatient hospital settings and community or "
           "care home settings for adults with social care needs (NG27)", _NICE, 2015,
           "https://www.nice.org.uk/guidance/ng27/chapter/Recommendations",
           facts=("Keep the patient, carers and practitioners in contact across moves.",
                  "At each transfer pass on the diagnosis, the treatment and a complete "
                  "medicines list.")),
    Source("nursing-times-discharge-coordinator", "Each patient should have own discharge "
           "co-ordinator (reporting NICE NG27)", "Nursing Times", 2015,
           "https://www.nursingtimes.net/roles/older-people-nurses/each-patient-should-"
           "have-own-discharge-co-ordinator/7000784.article",
           facts=("A single discharge coordinator agrees the discharge plan with the "
                  "hospital and community teams.",)),
    Source("nasgp-nice-discharge", "NICE: managing discharge from hospital (summary of "
           "NG27)", "National Association of Sessional GPs (NASGP)", None,
           "https://www.nasgp.org.uk/nice-managing-discharge-hospital/",
           facts=("People at risk of readmission are contacted by their GP or a nurse 24-72 "
                  "hours after discharge.",)),
    Source("aci-nsw-periop-toolkit", "Perioperative toolkit",
           "Agency for Clinical Innovation, New South Wales", None,
           "https://aci.health.nsw.gov.au/projects/perioperative-toolkit/print-all",
           weak="an Australian (New South Wales) toolkit, not a UK source",
           facts=("A decision not to operate is a valid outcome that returns the patient "
                  "to primary care.",)),
    # ------------------------------------------------- ERAS+ and prehabilitation
    Source("erasplus-professionals", "ERAS+ for health professionals",
           "ERAS+ Greater Manchester", None, "https://www.erasplus.co.uk/HealthProfessionals",
           facts=("Six must-dos: 30 minutes of aerobic activity daily; chest training with "
                  "the I COUGH bundle; muscle strengthening; Surgery School; lifestyle "
                  "(stop smoking, cut alcohol, balanced diet, manage anaemia); nutrition "
                  "risk screening.",)),
    Source("him-erasplus", "Enhanced Recovery After Surgery (ERAS+)",
           "Health Innovation Manchester", None,
           "https://healthinnovationmanchester.com/our-work/enhanced-recovery-after-surgery-eras/",
           facts=("ERAS+ covers the 6 weeks before and the 6 weeks after surgery and "
                  "includes oral healthcare.",)),
    Source("i-cough", "I COUGH: reducing postoperative pulmonary complications",
           "American Hospital Association", 2016,
           "https://aha.org/websites/2016-02-29-i-cough",
           facts=("I COUGH: incentive spirometry; coughing and deep breathing; oral care "
                  "twice daily; understanding; getting out of bed at least 3 times a day; "
                  "head of bed raised.",)),
    Source("nursing-i-cough", "Patient version of I COUGH (nursing skills reference)",
           "Nursing skills reference (secondary)", None, None,
           weak="a secondary nursing reference, not a UK guideline",
           facts=("Use the incentive spirometer 10 times an hour; raise the head of the bed "
                  "to 30-45 degrees.",)),
    Source("health-foundation-erasplus", "Improving surgical care for patients and their "
           "families in Greater Manchester", "The Health Foundation", None,
           "https://www.health.org.uk/improvement-projects/improving-surgical-care-for-"
           "patients-and-their-families-in-greater-manchester-%E2%80%93",
           facts=("Manchester Royal Infirmary, more than 1,000 patients: postoperative "
                  "pulmonary complications halved, stay 3 days shorter, more than GBP 0.5m "
                  "saved a year.",
                  "Scale-up across six trusts (2018-20): mean stay 3.1 days shorter with no "
                  "rise in readmissions.")),
    Source("nhse-nia-john-moore", "NHS Innovation Accelerator case study: John Moore "
           "(ERAS+)", _NHSE, None,
           "https://www.england.nhs.uk/ourwork/innovation/nia/case-studies/john-moore/",
           facts=("An earlier ERAS+ cohort of more than 700 patients saved about GBP "
                  "200,000 a year.",)),
    Source("manchester-thesis-gm-outcomes", "Improving surgical outcomes in Greater "
           "Manchester (doctoral thesis)", "University of Manchester", None,
           "https://research.manchester.ac.uk/en/studentTheses/improving-surgical-outcomes-"
           "in-greater-manchester",
           facts=("In 1,472 Greater Manchester colorectal patients, Surgery School, early "
                  "mobilisation and early nutrition were most linked to a shorter stay.",
                  "Stepped recovery on the ward: early mobilisation, early nutrition, "
                  "incentive spirometry and oral care.")),
    Source("gmactive-prehab4cancer", "Prehab4Cancer", "GM Active", None,
           "https://www.gmactive.co.uk/prehab4cancer/",
           facts=("Greater Manchester Cancer Alliance with GM Active (12 leisure-centre "
                  "operators) for lung, colorectal and oesophago-gastric cancer.",
                  "Referral: offered curative treatment, suitable for surgery, registered "
                  "with a Greater Manchester GP, and consents.")),
    Source("prehab4cancer-professionals", "Prehab4Cancer: for professionals",
           "Prehab4Cancer (Greater Manchester Cancer Alliance)", None,
           "https://www.prehab4cancer.co.uk/for-professionals/",
           facts=("Risk-stratified: self-managed exercise or supervised interval training.",
                  "Nutrition screened; medium or high risk goes back to the clinical nurse "
                  "specialist for dietetic assessment.")),
    Source("gmactive-prehab4cancer-outcomes", "Prehab4Cancer outcomes: improving quality "
           "of life and recovery for patients", "GM Active", None,
           "https://www.gmactive.co.uk/news/prehab4cancer-outcomes-improving-quality-of-"
           "life-and-recovery-for-patients/",
           facts=("About 2,000 referrals a year; 72% take part.",)),
    Source("thorax-prehab4cancer-lung", "Prehab4Cancer lung rehabilitation after surgery "
           "(conference abstract, Thorax 76 Suppl 1 A204)", "BMJ Publishing (Thorax)", 2021,
           "https://thorax.bmj.com/content/76/Suppl_1/A204.2",
           facts=("Lung cancer patients get a 12-week rehabilitation programme after "
                  "surgery.",)),
    Source("scwcsu-prehab4cancer-evaluation", "Evaluating the success of the Prehab4Cancer "
           "programme", "NHS South, Central and West Commissioning Support Unit", None,
           "https://www.scwcsu.nhs.uk/case-studies/evaluating-the-success-of-the-"
           "prehab4cancer-programme",
           facts=("The evaluation reported fewer complications after surgery.",)),
    Source("imperial-prepare", "How to prepare for surgery and speed your recovery "
           "(PREPARE)", "Imperial College London", 2017,
           "http://wwwf.imperial.ac.uk/blog/imperial-medicine/2017/08/09/how-to-prepare-"
           "for-surgery-and-speed-your-recovery/",
           facts=("Oesophago-gastric cancer: a clinic takes baseline measures, then a 4-6 "
                  "week personal plan covers activity, diet, psychological wellbeing and "
                  "medicines, delivered by a dietitian, an exercise therapist and a "
                  "clinical nurse specialist; surgery is scheduled to leave time for it.",
                  "No published outcome data were found.")),
    Source("wesfit-protocol", "WesFit: exercise and psychological support before major "
           "cancer surgery (trial protocol)", "University of Southampton", None,
           "https://eprints.soton.ac.uk/452558",
           facts=("2x2 randomised trial, planned 1,560 patients having major intra-abdominal "
                  "or chest cancer surgery.",
                  "Exercise is 2-3 supervised interval sessions a week with personal "
                  "trainers; psychological support is weekly.",
                  "CPET at baseline and before surgery; follow-up at 30 days, 12 weeks and "
                  "12 months; the primary outcome is length of stay.")),
    Source("southampton-brc-prehab", "Prehabilitation: our journey from bench to bedside "
           "(impact case study)", "NIHR Southampton Biomedical Research Centre", None,
           "https://southamptonbrc.nihr.ac.uk/impact-case-study-v4-2/prehabilitation%3A-our-"
           "journey-from-bench-to-bedside",
           facts=("87% completed the programme; costs fell by more than 30% (GBP 1,463 per "
                  "patient).",)),
    # ------------------------------------------------------------------ diabetes
    Source("cpoc-diabetes-2021", "Guideline for perioperative care for people with "
           "diabetes mellitus undergoing elective and emergency surgery", _CPOC, 2021,
           "https://www.cpoc.org.uk/cpoc-publishes-guideline-perioperative-care-people-"
           "diabetes-undergoing-surgery",
           facts=("March 2021: the first whole-pathway guideline for diabetes and surgery, "
                  "for adults having planned or emergency surgery, written with JBDS, RCoA, "
                  "RCS, RCGP, the Primary Care Diabetes Society, UKCPA and GIRFT.",)),
    Source("cpoc-diabetes-2021-text", "Guideline for perioperative care for people with "
           "diabetes mellitus undergoing elective and emergency surgery (full text)",
           _CPOC, 2021,
           "https://readkong.com/page/guideline-for-perioperative-care-for-people-with-"
           "diabetes-3695493"),
    Source("jbds-ip-surgery", "JBDS-IP: management of adults with diabetes undergoing "
           "surgery and elective procedures (summary)",
           "Joint British Diabetes Societies for Inpatient Care, via Guidelines", None,
           "https://www.guidelines.co.uk/diabetes/jbds-ip-undergoing-surgery-and-elective-"
           "procedures-guideline/252711.article",
           facts=("Before elective referral aim for HbA1c below 69 mmol/mol (8.5%) where "
                  "safe.",
                  "The referral letter carries current HbA1c, blood pressure, weight, "
                  "complications of diabetes and medicines.",
                  "Consider the diabetes specialist team.")),
    Source("nhs-borders-periop-diabetes", "Management of patients with diabetes in the "
           "peri-operative period", "NHS Borders (Right Decisions)", None,
           "https://rightdecisions.scot.nhs.uk/nhs-borders-clinical-guidelines/acute-"
           "services/diabetes-and-endocrinology/diabetes/management-of-patients-with-"
           "diabetes-in-the-peri-operative-period",
           facts=("HbA1c within 3 months of planned surgery.",
                  "HbA1c at or above 69 mmol/mol: discuss with the diabetes team or "
                  "anaesthetist and optimise through the GP or diabetes team; flag urgent "
                  "cases to the diabetes team.",
                  "On the day: first on the list; no variable-rate insulin infusion when "
                  "only one meal is missed; capillary glucose 6-12 mmol/L.",
                  "SGLT2 inhibitors: a written plan stops them before surgery (the day "
                  "before and the day of surgery; the exact timing is still to be checked "
                  "against this guidance) and restarts them only when eating and drinking "
                  "normally.")),
    Source("nhs-diabetes-periop-2011", "Management of adults with diabetes undergoing "
           "surgery and elective procedures: improving standards", "NHS Diabetes (JBDS)",
           2011, "https://issuu.com/sanespi/docs/nhs_diabetes_guideline_for_the_peri/7",
           facts=("Aim for glucose 6-10 mmol/L (4-12 acceptable) and early return to "
                  "self-management.",
                  "Do not delay discharge only for glucose; tell community teams about any "
                  "change to diabetes treatment; the usual diabetes team is reachable by "
                  "phone.")),
    Source("plymouth-diabetes-preop", "Diabetes pre-operative support",
           "University Hospitals Plymouth NHS Trust", None,
           "https://www.plymouthhospitals.nhs.uk/diabetespreoperative-support/",
           facts=("The diabetes specialist team sees people on insulin, with HbA1c above "
                  "69, repeated hypoglycaemia or total pancreatectomy.",
                  "A day-of-surgery plan goes in the notes; the team arranges GP "
                  "follow-up.")),
    Source("girft-diabetes-pilot", "GIRFT pilot programme leads to better outcomes for "
           "patients with diabetes undergoing surgery", "Getting It Right First Time (GIRFT)",
           None, "https://gettingitrightfirsttime.co.uk/girft-pilot-programme-leads-to-"
           "better-outcomes-for-patients-with-diabetes-undergoing-surgery/",
           facts=("About 330,000 operations a year are in people with diabetes, who stay "
                  "about 3 days longer.",
                  "Audited diabetes pathways and a perioperative diabetes team; the IP3D "
                  "model with a patient-held passport and a perioperative diabetes "
                  "specialist nurse, piloted in 10 trusts.")),
    Source("dorset-view-bournemouth", "Praise for Bournemouth hospital's pre-assessment "
           "department", "Dorset View (local news)", None,
           "https://dorsetview.co.uk/praise-bournemouth-hospitals-pre-assessment-department",
           weak="a local news report; no peer-reviewed evaluation was found",
           facts=("A specialist pre-assessment clinic for anaemia and diabetes halved the "
                  "average length of stay for patients with diabetes.",)),
    Source("qic-waiting-well-diabetes", "Waiting well diabetes: a novel dietetic-led "
           "approach to pre-surgical diabetes optimisation", "Quality in Care (case study)",
           None, "https://qualityincare.org/case_studies/waiting-well-diabetes-a-novel-"
           "dietetic-led-approach-to-pre-surgical-diabetes-optimisation",
           facts=("A dietitian-led programme in the North East optimises diabetes while "
                  "people wait, sends patients with HbA1c above 69 back for optimisation "
                  "and reports readiness to the surgical team.",)),
    Source("digitalhealth-wirral", "Wirral expands its diabetes prehabilitation service to "
           "all PCNs", "Digital Health", 2023,
           "https://www.digitalhealth.net/2023/11/wirral-expands-its-diabetes-"
           "prehabilitation-service-to-all-pcns/",
           facts=("Finds waiting-list patients with HbA1c above 69 or BMI above 40 and "
                  "contacts them within 48 hours.",)),
    # ------------------------------------------------------ other exemplars, timing
    Source("bads-directory", "BADS Directory of Procedures",
           "British Association of Day Surgery (BADS)", None, "https://bads.co.uk/publications/",
           facts=("Recommended day-case rates for more than 200 procedures by specialty, "
                  "defined by OPCS codes.",)),
    Source("pmc-day-case-chole", "Day-case laparoscopic cholecystectomy rates (PMC6081511)",
           "PubMed Central", None, "https://pmc.ncbi.nlm.nih.gov/articles/PMC6081511",
           facts=("BADS recommends a day-case rate of 60% or more for laparoscopic "
                  "cholecystectomy.",)),
    Source("bads-rotherham-chole", "Using data to develop a guideline for day-case "
           "laparoscopic cholecystectomy at the Rotherham NHS Foundation Trust (poster)",
           "British Association of Day Surgery", 2026,
           "https://bads.co.uk/conference/programme/friday-5th-june-2026/posters/using-data-"
           "to-develop-a-guideline-for-day-case-laparoscopic-cholecystectomy-at-the-"
           "rotherham-nhs-foundation-trust-trft-a-district-general-hospital/",
           facts=("BADS/GIRFT benchmark: 75% of laparoscopic cholecystectomies as day "
                  "cases.",)),
    Source("bbugss-chole", "Cholecystectomy practice guidelines",
           "British Benign Upper GI Surgical Society (BBUGSS)", None,
           "https://www.bbugss.com/cholecystectomy-practice-guidelines",
           facts=("Day-case rate of 50% (aim above 75%); 30-day readmission below 10%.",)),
    Source("preop-association-anaemia", "Our guidelines (preoperative anaemia)",
           "Pre-operative Association", None, "http://pre-op.org/our-guidelines",
           facts=("Haemoglobin of 130 g/L or more is preferred before surgery for both "
                  "sexes.",
                  "Screen early; focus on operations with expected blood loss over 500 mL "
                  "or a transfusion risk over 10%.")),
    Source("nice-ng24-qs138", "Blood transfusion (NG24) and its quality standard (QS138)",
           _NICE, 2016, "https://www.nice.org.uk/guidance/qs138/chapter/Quality-statements",
           facts=("Offer oral iron before and after surgery to people with iron-deficiency "
                  "anaemia.",
                  "Consider intravenous iron when oral iron is not tolerated, in functional "
                  "iron deficiency, or when there is too little time before surgery.")),
    Source("esa-preop-anaemia", "Preoperative anaemia (perioperative bleeding guideline)",
           "European Society of Anaesthesiology", None,
           "http://esa.perioperativebleeding.org/html/pre_anaemia.html",
           facts=("Assess for anaemia 3-8 weeks before surgery.",)),
    Source("scot-preop-anaemia", "Preoperative management of anaemia in adult elective "
           "surgical patients", "Right Decisions (NHS Scotland)", None,
           "https://www.rightdecisions.scot.nhs.uk/preoperative-assessment-guidelines/"
           "preoperative-management-of-anaemia-in-adult-elective-surgical-patients/"
           "recommendations",
           facts=("Oral iron needs 4-6 weeks to work; intravenous iron needs more than 2 "
                  "weeks.",)),
    Source("rcsed-smoking-2023", "Smoking and surgery: advice for patients",
           "Royal College of Surgeons of Edinburgh", 2023,
           "https://www.pslhub.org/learn/patient-safety-in-health-and-care/high-risk-areas/"
           "surgery/smoking-and-surgery-advice-for-patients-royal-college-of-surgeons-of-"
           "edinburgh-2023-r5910/",
           facts=("Surgery is a teachable moment; very brief advice plus referral to expert "
                  "support works.",)),
    Source("quitnow-teachable-moment", "Surgery as a teachable moment", "QuitNow (Canada)",
           None, "https://www.quitnow.ca/supporting-evidence/stop-smoking-before-surgery/"
           "surgery-as-a-teachable-moment",
           facts=("Major surgery roughly doubles the chance of quitting smoking.",)),
    Source("nice-smoking-elective-surgery", "Commissioning guide: smoking cessation "
           "services in elective surgery", _NICE, None,
           "http://www.nice.org.uk/usingguidance/commissioningguides/"
           "smokingcessationserviceelectivesurgery/specifying.jsp",
           facts=("Record smoking status and refer smokers to NHS Stop Smoking Services.",
                  "The support offered ranges from brief advice and behavioural counselling "
                  "to stop-smoking medicines (pharmacotherapy); people who do not try to "
                  "quit but cannot smoke during their hospital stay need help too.")),
    Source("cpoc-bgs-frailty-2021", "Guideline for perioperative care for people living "
           "with frailty undergoing elective and emergency surgery",
           "Centre for Perioperative Care and British Geriatrics Society", 2021,
           "https://research.brighton.ac.uk/en/publications/new-guidelines-for-the-"
           "perioperative-care-of-people-living-with-f",
           facts=("Identify frailty from the contemplation of surgery through to "
                  "recovery.",)),
    Source("york-frailty", "Frailty (preoperative care)", "York perioperative medicine "
           "(York and Scarborough Teaching Hospitals NHS Foundation Trust)", None,
           "https://www.yorkperioperativemedicine.nhs.uk/health-professionals/perioperative-"
           "care/preoperative-care/frailty/",
           facts=("Screen with the Clinical Frailty Scale, then offer comprehensive "
                  "geriatric assessment.",)),
    Source("pops-harari-2007", "Proactive care of older people undergoing surgery (POPS): "
           "designing, embedding, evaluating and funding a comprehensive geriatric "
           "assessment service for older elective surgical patients",
           "Age and Ageing (Harari and colleagues)", 2007,
           "https://read.qxmd.com/read/17259638/proactive-care-of-older-people-undergoing-"
           "surgery-pops-designing-embedding-evaluating-and-funding-a-comprehensive-"
           "geriatric-assessment-service-for-older-elective-surgical-patients",
           facts=("Comprehensive geriatric assessment before surgery with geriatric "
                  "follow-through: pneumonia 20% to 4%, delirium 19% to 6%, stay 4.5 days "
                  "shorter.",)),
    Source("nhsconfed-older-surgical", "Transforming the surgical pathway for older "
           "patients", "NHS Confederation (case study)", None,
           "https://www.nhsconfed.org/case-studies/transforming-surgical-pathway-older-patients",
           facts=("A one-stop clinic produces an optimisation plan.",)),
    Source("pulse-my-planned-care", "NHS portal launched for millions of patients on "
           "elective waiting list (My Planned Care)", "Pulse", 2022,
           "https://pulsetoday.co.uk/news/clinical-areas/diabetes/nhs-portal-launched-for-"
           "millions-of-patients-on-elective-waiting-list",
           facts=("My Planned Care (February 2022) shows average waits by trust and "
                  "specialty, updated weekly, with advice on pain, mental health and money.",
                  "About a third of cancellations on the day are patients not clinically "
                  "ready.")),
    Source("lincolnshire-waiting-well", "Waiting well for your outpatient appointment",
           "NHS Lincolnshire Integrated Care Board", None,
           "https://lincolnshire.icb.nhs.uk/your-health-and-services/waiting-well-for-your-"
           "outpatient-appointment/",
           facts=("Advice to help people stay well while they wait.",)),
    Source("periop-med-preassessment-redesign", "Redesigning preoperative assessment "
           "(Perioperative Medicine 6:4)", "Perioperative Medicine (BioMed Central)", 2017,
           "https://perioperativemedicinejournal.biomedcentral.com/articles/10.1186/"
           "s13741-017-0065-4",
           facts=("Preassessment often happens only days before surgery; redesign moves it "
                  "before the decision to operate.",)),
    Source("prehab-duration-review", "Prehabilitation before surgery (Current "
           "Anesthesiology Reports)", "Springer", 2022,
           "https://doi.org/10.1007/s40140-022-00516-2",
           facts=("Prehabilitation usually lasts 2 to 6 weeks; at least 2 weeks is needed "
                  "to help, 4-6 weeks is the usual target.",)),
    # ---------------------------------------------- patient information, education
    Source("nhs-how-we-write", "How we write (NHS digital service manual)", _NHSE, None,
           "https://service-manual.nhs.uk/content/how-we-write",
           facts=("Reading age 9-11 (11-14 where medical content forces it); plain term "
                  "first with the medical term in brackets; sentences up to 20 words; "
                  "paragraphs up to 3 sentences; active voice; numbers as digits.",)),
    Source("nhs-health-literacy", "Health literacy (NHS digital service manual)", _NHSE,
           None, "https://service-manual.nhs.uk/content/health-literacy",
           facts=("More than 4 in 10 adults struggle with health content and more than 6 "
                  "in 10 with numbers.",)),
    Source("nhs-health-literacy-toolkit", "Health information and health literacy",
           "NHS Knowledge and Library Services", None, "https://library.nhs.uk/health-information/",
           facts=("Teach-back, chunk and check, plain-English word lists, readability "
                  "tools and co-production.",)),
    Source("pif-plain-language", "Using plain language in health information",
           "Patient Information Forum (PIF)", None,
           "https://pifonline.org.uk/resources/how-to-guides/using-plain-language-in-health-"
           "information/html-version/",
           facts=("Reading age 9-11, most important information first.",)),
    Source("accessible-information-standard", "Accessible Information Standard (DCB1605): "
           "what services are required to do", "ECL sensory service, summarising NHS "
           "England's standard", None,
           "https://www.ecl.org/services/sensory-service/what-you-are-required-to-do",
           facts=("Ask about, record, flag, share and act on people's communication needs; "
                  "mandatory since 1 August 2016.",
                  "Share recorded needs whenever care passes to another service.")),
    Source("surgery-school-survey-2021", "A survey of Surgery Schools in the UK "
           "(Perioperative Medicine)", "Perioperative Medicine (BioMed Central)", 2021,
           "https://perioperativemedicinejournal.biomedcentral.com/articles/10.1186/"
           "s13741-021-00188-2",
           facts=("28 UK Surgery Schools with similar multidisciplinary content, mostly "
                  "fitness.",)),
    Source("poqi-surgery-school-2025", "Experts reach consensus on preop education to "
           "support surgical recovery", "OR Manager (reporting the POQI consensus)", 2025,
           "https://www.ormanager.com/briefs/experts-reach-consensus-on-preop-education-to-"
           "support-surgical-recovery",
           facts=("Offer Surgery School for all major planned surgery: live and "
                  "interactive, with take-home materials, behaviour change and goal "
                  "setting; topics include long-term conditions, activity, nutrition and "
                  "pain.",)),
    Source("uhs-surgery-school-research", "Surgery schools: landmark consensus and "
           "research benefits", "University Hospital Southampton NHS Foundation Trust",
           None, "https://research.uhs.nhs.uk/news/research-highlights-benefits-of-surgery-schools",
           facts=("A 1.5-hour video session for about 10 patients and family on nutrition, "
                  "emotional wellbeing, exercise and what to expect, ending with goal "
                  "setting.",
                  "A review of about 6,000 patients found shorter stays and less pain and "
                  "anxiety.")),
    Source("aomrc-choosing-wisely", "Choosing Wisely UK (BRAN)",
           "Academy of Medical Royal Colleges", None,
           "https://www.aomrc.org.uk/projects-and-programmes/choosing-wisely/",
           facts=("BRAN: ask about the Benefits, Risks, Alternatives and doing Nothing.",)),
    Source("uhs-surgery-school", "Surgery school (preparing for major surgery)",
           "University Hospital Southampton NHS Foundation Trust", None,
           "https://www.uhs.nhs.uk/OurServices/Surgery/Preparing-for-major-surgery/"
           "Surgery-school.aspx",
           facts=("A 1.5-hour video session for about 10 patients and family, ending with "
                  "goal setting.",
                  "An earlier format also covered smoking and alcohol; attend as early as "
                  "possible.")),
    # ------------------------------------------------------------ clinical coding
    Source("uk-core-procedure", "UK Core Procedure profile", "HL7 UK", None,
           "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Procedure",
           facts=("Status, code, subject and performed date must be supported; SNOMED CT "
                  "codes are required.",)),
    Source("fhir-procedure-codes", "FHIR R4 procedure codes value set", "HL7 International",
           None, "https://hl7.org/fhir/R4/valueset-procedure-code.html"),
    Source("hl7-cpg-common-pathway", "Clinical Practice Guidelines: Common Pathway "
           "PlanDefinition", "HL7 International", 2024,
           "https://hl7.org/fhir/uv/cpg/2024Jan/PlanDefinition-cpg-common-pathway.html"),
    Source("nice-ipg346", "Single-incision laparoscopic cholecystectomy (IPG346)", _NICE,
           2010, "http://www.nice.org.uk/guidance/IPG346",
           facts=("OPCS-4 coding for laparoscopic cholecystectomy: J18 with Y75.2 (J37.2 or "
                  "J37.3 with a cholangiogram).",)),
    Source("hermes-snomed-example", "hermes SNOMED CT terminology server documentation "
           "(example using concept 45595009)", "hermes (open-source project)", None,
           "https://github.com/wardle/hermes",
           facts=("SNOMED CT 45595009 is laparoscopic cholecystectomy (check against the UK "
                  "release).",)),
    Source("opencodelists-y75", "Large bowel surgery, laparoscopically assisted approach "
           "(Y75) codelist", "OpenCodelists (Bennett Institute)", None,
           "https://www.opencodelists.org/codelist/OxHPRU/large-bowel-surgery-"
           "laparoscopically-assisted-approach-to-the-abdominal-cavity-y75/2bbcf604/"),
    # ----------------------------------------------------- further clinical standards
    Source("nice-ng89", "Venous thromboembolism in over 16s: reducing the risk of "
           "hospital-acquired deep vein thrombosis or pulmonary embolism (NG89)", _NICE,
           2018, "https://www.nice.org.uk/guidance/ng89",
           facts=("Assess every surgical inpatient's risk of VTE and of bleeding on "
                  "admission.",
                  "Give information and plan for discharge; extended prophylaxis after some "
                  "operations (for example hip or knee replacement, major cancer surgery) "
                  "continues at home.")),
    Source("cancer-waiting-times-2023", "Cancer waiting times standards from October 2023",
           f"{_NHSE} (summarised by T. Cowling and Healthwatch Darlington)", 2023,
           "https://tecowling.quarto.pub/policy-current-standards.html",
           facts=("28-day Faster Diagnosis Standard (77%, 80% in 2025/26).",
                  "31 days from decision to treat to first treatment (96%).",
                  "62 days from referral to first treatment (85%).",
                  "Prehabilitation and optimisation for cancer surgery run alongside these "
                  "clocks, not after them.")),
    Source("anzca-sglt2", "SGLT2 inhibitors and periprocedural ketoacidosis",
           "Australian and New Zealand College of Anaesthetists (via Medsafety Australia)",
           None, "https://medsafetyaustralia.com.au/?p=1773",
           weak="a non-UK statement; the UK timing comes from NHS Borders diabetes guidance",
           facts=("SGLT2 inhibitors carry a risk of ketoacidosis around surgery even with "
                  "normal glucose; stop before surgery (up to 3 days in this guidance), "
                  "restart only when eating and drinking normally, with a written plan and "
                  "sick-day rules.",)),
    # ----------------------------------------------------- flow, capacity, money
    Source("hfma-reference-costs-2016-17", "Reference cost data published (2016/17)",
           "Healthcare Financial Management Association (HFMA)", 2017,
           "https://www.hfma.org.uk/news/healthcare-finance/news-item/reference-cost-data-published",
           facts=("National averages 2016/17: day case GBP 738; elective inpatient episode "
                  "GBP 3,684; non-elective GBP 1,590; excess bed day GBP 313; outpatient "
                  "attendance GBP 120.",
                  "Check of the ERAS+ saving with these costs: 500 patients a year x 3 "
                  "bed-days x GBP 313 = GBP 469,500.")),
    Source("nhse-national-cost-collection", "National Cost Collection for the NHS", _NHSE,
           None, "https://www.england.nhs.uk/costing-in-the-nhs/national-cost-collection/"),
    Source("pharmacoeconomics-unit-costs", "Choice of unit-cost sets and hip fracture costs "
           "(PharmacoEconomics)", "Springer", 2018,
           "https://link.springer.com/10.1007/s40273-018-0673-y",
           facts=("Hip fracture costs GBP 10,749-14,440 depending on the unit-cost set.",)),
    Source("dimitriadis-cancellations-2013", "On-the-day cancellation of elective surgery "
           "(Dimitriadis and colleagues)", "International Journal of Surgery", 2013, None,
           facts=("5.19% of listed cases were cancelled on the day; 33.7% of those because "
                  "the patient was unfit.",)),
    Source("gov-rtt-18-weeks", "Right to start consultant-led treatment within 18 weeks",
           "Department of Health and Social Care", None,
           "https://www.gov.uk/government/publications/right-to-start-consultant-led-"
           "treatment-within-18-weeks",
           facts=("Patients have the right to start consultant-led treatment within 18 "
                  "weeks of referral.",)),
    Source("pac-waiting-times-2019", "NHS waiting times for elective and cancer treatment",
           "House of Commons Committee of Public Accounts", 2019,
           "https://publications.parliament.uk/pa/cm201719/cmselect/cmpubacc/1750/175006.htm",
           facts=("The operational standard is 92% of patients waiting under 18 weeks; 85% "
                  "of cancer patients treated within 62 days.",)),
    Source("nhse-elective-access-policy", "National elective access policy", _NHSE, None,
           "https://www.england.nhs.uk/long-read/national-elective-access-policy",
           facts=("Comes with an equality and health inequalities impact assessment.",)),
    Source("nhsr-waiting-list", "NHSRwaitinglist (calc_target_queue_size, "
           "calc_relief_capacity)", "NHS-R Community (Fong and Walton)", None,
           "https://github.com/nhs-r-community/NHSRwaitinglist",
           facts=("Target queue size = weekly demand x target wait in weeks / 4.",
                  "Relief capacity = demand + (queue - target queue) / weeks to target.")),
    Source("girft-hvlc", "High volume low complexity (HVLC) programme",
           "Getting It Right First Time (GIRFT)", None,
           "https://gettingitrightfirsttime.co.uk/hvlc/hvlc-programme/",
           facts=("Day-case rate of 85% or more for high-volume low-complexity procedures.",
                  "Hubs plan six-day operating, 48 weeks a year, 2.5 sessions a day, 85% "
                  "utilisation; about 10 cataracts per half-day list.")),
    Source("stars-treat-sim", "treat-sim: discrete-event simulation example model",
           "STARS project (pythonhealthdatascience)", None,
           "https://github.com/pythonhealthdatascience/stars-treat-sim",
           facts=("One random stream per purpose so scenarios compare with common random "
                  "numbers; replications with confidence intervals; warm-up discarded.",)),
    Source("core20plus5", "Core20PLUS5: national healthcare inequalities improvement "
           "programme", _NHSE, None,
           "https://www.england.nhs.uk/about/equality/equality-hub/national-healthcare-"
           "inequalities-improvement-programme/core20plus5/",
           facts=("The most deprived 20% of the population by Index of Multiple "
                  "Deprivation, plus groups each system chooses; five clinical areas; "
                  "smoking cessation runs across them.",)),
    Source("kings-fund-backlog-2022", "Unpicking the inequalities in the elective backlog",
           "The King's Fund", 2022, None,
           facts=("People in the most deprived areas were about twice as likely as those "
                  "in the least deprived to wait over a year for planned care.",)),
    Source("hmt-five-case-model", "Guide to developing the project business case (Five "
           "Case Model)", "HM Treasury", 2018, None,
           facts=("Strategic, economic, commercial, financial and management cases; smaller "
                  "schemes use a Business Justification Case.",)),
    # ------------------------------------------------ unpublished project documents
    Source("seed-002", "Seed document 002 (unpublished project briefing)",
           "Project seed document, unpublished", None, None,
           weak="an unpublished briefing that could not be checked against a public source",
           facts=("PREPARE: Clavien-Dindo grade II or higher complications down 45% over 2 "
                  "years.",
                  "ERAS+ at Manchester Royal Infirmary: 1,000 patients 2014-16 (about 500 a "
                  "year), stay 3 days shorter, about GBP 500,000 a year saved.",
                  "Royal Bournemouth: length of stay for people with diabetes reduced to "
                  "parity with people without diabetes.")),
)

SOURCES: dict[str, Source] = {s.id: s for s in _ALL}
if len(SOURCES) != len(_ALL):  # pragma: no cover - a typo caught at import
    raise ValueError("duplicate source id in the registry")


class UnknownSource(KeyError):
    """A citation names a source id the registry does not hold."""


def split_ref(ref: str) -> tuple[str, str | None]:
    """``"nice-ng180#1.1.1"`` -> ``("nice-ng180", "1.1.1")``; no ``#`` -> no section."""
    source_id, sep, section = ref.partition("#")
    return source_id.strip(), (section.strip() or None) if sep else None


def get(ref: str) -> Source:
    """The source a citation names (``id`` or ``id#section``); :class:`UnknownSource` if none."""
    source_id, _ = split_ref(ref)
    try:
        return SOURCES[source_id]
    except KeyError:
        raise UnknownSource(source_id) from None


def cite(ref: str) -> str:
    """The full one-line reference for ``ref`` (``id`` or ``id#section``)."""
    source_id, section = split_ref(ref)
    return get(source_id).citation(section)


def cite_short(ref: str) -> str:
    """Publisher, title, year (and section) for ``ref``: for lists of rule sources."""
    source_id, section = split_ref(ref)
    return get(source_id).short(section)


def _norm_url(url: str) -> str:
    url = url.strip().rstrip(";,.")
    url = re.sub(r"^https?://(www\.)?", "", url, flags=re.I)
    return url.rstrip("/").lower()


@lru_cache(maxsize=1)
def _by_url() -> dict[str, Source]:
    return {_norm_url(s.url): s for s in SOURCES.values() if s.url}


def by_url(url: str) -> Source | None:
    """The registry source at ``url`` (scheme, ``www.`` and a final ``/`` ignored)."""
    return _by_url().get(_norm_url(url))


def resolve(text: str | None, ref: str | None = None) -> Source | None:
    """The registry source an evidence item names: its ``ref`` first, else a URL in ``text``."""
    if ref:
        try:
            return get(ref)
        except UnknownSource:
            return None
    for url in re.findall(r"https?://\S+", text or ""):
        found = by_url(url)
        if found is not None:
            return found
    return None
