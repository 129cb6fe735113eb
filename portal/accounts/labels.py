"""The names of roles, kinds and states as people read them (translated where shown)."""

from portal.accounts.tables import Chamber, OrgKind, OrgStatus, Role, SizeClass
from portal.i18n import N_

ROLE_LABELS = {
    Role.employer_member: N_("Employer member"),
    Role.employer_admin: N_("Employer admin"),
    Role.case_manager: N_("Case manager"),
    Role.team_lead: N_("Team lead"),
    Role.statistics_viewer: N_("Statistics viewer"),
    Role.operator_admin: N_("Operator admin"),
}
ORG_STATUS_LABELS = {
    OrgStatus.pending: N_("Awaiting approval"),
    OrgStatus.active: N_("Active"),
    OrgStatus.suspended: N_("Suspended"),
    OrgStatus.rejected: N_("Rejected"),
}
ORG_KIND_LABELS = {
    OrgKind.employer: N_("Employer"),
    OrgKind.case_management: N_("Case management"),
    OrgKind.chamber: N_("Chamber"),
    OrgKind.authority: N_("Authority"),
    OrgKind.operator: N_("Operator"),
}
SIZE_CLASS_LABELS = {
    SizeClass.micro: N_("1–9 employees"),
    SizeClass.small: N_("10–49 employees"),
    SizeClass.medium: N_("50–249 employees"),
    SizeClass.large: N_("250 employees or more"),
}
CHAMBER_LABELS = {
    Chamber.ihk: N_("Chamber of Industry and Commerce (IHK)"),
    Chamber.hwk: N_("Chamber of Crafts (HWK)"),
    Chamber.none: N_("No chamber membership"),
}
