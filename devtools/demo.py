"""Demo agencies and one user per role. Idempotent: running it again changes nothing."""
from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from core.models import (
    Agency,
    AgencyKind,
    District,
    LiaisonAssignment,
    LiaisonRole,
    Side,
    StaffProfile,
)
from core.roles import Role, sync_role_permissions
from core.two_factor import demo_enrol

AGENCIES = [
    # code, simplified, traditional, English, side, kind, district
    ("zh-civil-affairs", "珠海市民政局", "珠海市民政局", "Zhuhai Civil Affairs Bureau",
     Side.ZHUHAI, AgencyKind.CITY_BUREAU, ""),
    ("zh-finance", "珠海市财政局", "珠海市財政局", "Zhuhai Finance Bureau",
     Side.ZHUHAI, AgencyKind.FINANCE, ""),
    ("zh-finwork", "珠海市金融工作局", "珠海市金融工作局", "Zhuhai Financial Work Bureau",
     Side.ZHUHAI, AgencyKind.FINANCIAL_WORK, ""),
    ("zh-xiangzhou", "香洲区民政局", "香洲區民政局", "Xiangzhou District Civil Affairs Bureau",
     Side.ZHUHAI, AgencyKind.DISTRICT_BUREAU, District.XIANGZHOU),
    ("zh-doumen", "斗门区民政局", "斗門區民政局", "Doumen District Civil Affairs Bureau",
     Side.ZHUHAI, AgencyKind.DISTRICT_BUREAU, District.DOUMEN),
    ("zh-jinwan", "金湾区民政局", "金灣區民政局", "Jinwan District Civil Affairs Bureau",
     Side.ZHUHAI, AgencyKind.DISTRICT_BUREAU, District.JINWAN),
    ("zh-gaoxin", "高新区民政部门", "高新區民政部門", "High-tech Zone Civil Affairs Department",
     Side.ZHUHAI, AgencyKind.DISTRICT_BUREAU, District.GAOXIN),
    ("zh-gaolangang", "高栏港经济区民政部门", "高欄港經濟區民政部門",
     "Gaolan Port Economic Zone Civil Affairs Department",
     Side.ZHUHAI, AgencyKind.DISTRICT_BUREAU, District.GAOLANGANG),
    ("zh-wanshan", "万山海洋开发试验区民政部门", "萬山海洋開發試驗區民政部門",
     "Wanshan Marine Development Zone Civil Affairs Department",
     Side.ZHUHAI, AgencyKind.DISTRICT_BUREAU, District.WANSHAN),
    ("mo-ias", "澳门特别行政区政府社会工作局", "澳門特別行政區政府社會工作局",
     "Social Welfare Bureau of the Macao SAR Government (IAS)",
     Side.MACAU, AgencyKind.IAS, ""),
    ("hq-livelihood", "横琴粤澳深度合作区民生事务局", "橫琴粵澳深度合作區民生事務局",
     "Livelihood Affairs Bureau of the Guangdong–Macao In-Depth Cooperation Zone in Hengqin",
     Side.HENGQIN, AgencyKind.COOPERATION_ZONE, ""),
    ("ngo-kaifong", "澳门街坊会联合总会广东办事处", "澳門街坊會聯合總會廣東辦事處",
     "Guangdong Office of the Macao Federation of Kaifong Associations",
     Side.PARTNER, AgencyKind.NGO, ""),
    ("ngo-faom", "澳门工会联合总会广东办事处", "澳門工會聯合總會廣東辦事處",
     "Guangdong Office of the Macao Federation of Trade Unions",
     Side.PARTNER, AgencyKind.NGO, ""),
    ("bank-demo", "合作银行珠海分行（演示）", "合作銀行珠海分行（演示）",
     "Partner Bank, Zhuhai Branch (demo)", Side.PARTNER, AgencyKind.BANK, ""),
]

# username, agency code, role, first name (display), language
USERS = [
    ("city", "zh-civil-affairs", Role.CITY, "市民政局 陈科长", "zh-hans"),
    ("district", "zh-xiangzhou", Role.DISTRICT, "香洲区 李专员", "zh-hans"),
    ("district2", "zh-doumen", Role.DISTRICT, "斗门区 黄专员", "zh-hans"),
    ("district_lead", "zh-xiangzhou", Role.DISTRICT, "香洲区 赵科长", "zh-hans"),
    ("finance", "zh-finance", Role.FINANCE, "市财政局 周科员", "zh-hans"),
    ("finwork", "zh-finwork", Role.FINWORK, "市金融工作局 吴科员", "zh-hans"),
    ("macau", "mo-ias", Role.MACAU, "社工局 梁聯絡員", "zh-hant"),
    ("macau_backup", "mo-ias", Role.MACAU, "社工局 何後備聯絡員", "zh-hant"),
    ("hengqin", "hq-livelihood", Role.HENGQIN, "民生事务局 郑联络员", "zh-hans"),
    ("ngo", "ngo-kaifong", Role.NGO, "街总广东办 林社工", "zh-hans"),
    ("ngo2", "ngo-faom", Role.NGO, "工联广东办 罗社工", "zh-hans"),
    ("leader", "zh-civil-affairs", Role.LEADERSHIP, "局领导 王局长", "zh-hans"),
    ("admin", "zh-civil-affairs", Role.ADMIN, "系统管理员", "zh-hans"),
    ("secadmin", "zh-civil-affairs", Role.SECURITY_ADMIN, "安全管理员", "zh-hans"),
    ("auditadmin", "zh-civil-affairs", Role.AUDIT_ADMIN, "审计管理员", "zh-hans"),
    ("bank", "bank-demo", Role.BANK, "合作银行拱北支行 张经理", "zh-hans"),
]

#: The demo team leads (district heads): they reassign their agency's records (core.assignment).
TEAM_LEADS = ("district_lead",)

LIAISONS = [
    ("mo-ias", "macau", LiaisonRole.PRIMARY),
    ("mo-ias", "macau_backup", LiaisonRole.BACKUP),
    ("hq-livelihood", "hengqin", LiaisonRole.PRIMARY),
    ("zh-civil-affairs", "city", LiaisonRole.PRIMARY),
]


def ensure_agency(code, name_zh_hans, name_zh_hant, name_en, side, kind, district="") -> Agency:
    agency, _created = Agency.objects.get_or_create(code=code, defaults={
        "name_zh_hans": name_zh_hans, "name_zh_hant": name_zh_hant, "name_en": name_en,
        "side": side, "kind": kind, "district": district,
        "email": f"{code}@example.gov.invalid",
    })
    return agency


def ensure_user(username: str, agency: Agency, role: str, display_name: str = "",
                language: str | None = None, password: str | None = None):
    """A demo account (idempotent); its language is the agency's default unless given."""
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username, defaults={
        "first_name": display_name[:150], "email": f"{username}@example.gov.invalid",
        "is_staff": role in (Role.ADMIN, Role.SECURITY_ADMIN),  # the Django admin's users
    })
    if created:
        user.set_password(password or settings.ZHUAO_DEMO_PASSWORD)
        user.save(update_fields=["password"])
    StaffProfile.objects.get_or_create(user=user, defaults={
        "agency": agency, "language": language or agency.default_language})
    user.groups.add(Group.objects.get(name=role), agency.group)
    return user


def seed() -> dict[str, object]:
    sync_role_permissions()
    agencies = {row[0]: ensure_agency(*row) for row in AGENCIES}
    users = {}
    for username, code, role, display_name, language in USERS:
        users[username] = ensure_user(username, agencies[code], role, display_name, language)
        if username in TEAM_LEADS and not users[username].staff.is_team_lead:
            users[username].staff.is_team_lead = True
            users[username].staff.save(update_fields=["is_team_lead"])

    for user in users.values():
        demo_enrol(user)  # the shared demo TOTP secret (README, scripts/run)
    for code, username, role in LIAISONS:
        LiaisonAssignment.objects.get_or_create(
            agency=agencies[code], user=users[username], role=role,
            defaults={"valid_from": date(2021, 12, 1), "email": users[username].email,
                      "phone": "+853 2800 0000" if code == "mo-ias" else "+86 756 000 0000"})
    return {"agencies": agencies, "users": users}
