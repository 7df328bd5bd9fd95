"""The console's words in Arabic (first) and English; incident types and update reasons come from the alerts'."""

from __future__ import annotations

from functools import cache
from typing import Any

from alerts.render import labels as alert_labels

LANGUAGES = ("ar", "en")

WORDS: dict[str, dict[str, str]] = {
    "ar": {
        "brand": "رقيب", "console": "لوحة المحلل", "incidents": "الحوادث", "map": "الخريطة",
        "feeds": "المصادر", "deliveries": "التنبيهات المرسلة", "login": "تسجيل الدخول",
        "logout": "خروج", "name": "الاسم", "password": "كلمة المرور", "span": "المدة",
        "any": "الكل", "region": "الإقليم", "district": "البلدية", "place": "المكان",
        "type": "النوع", "watchlist": "قائمة الرصد", "tier": "الفئة", "isis": "داعش",
        "unattributed": "غير منسوبة", "min_toll": "أدنى حصيلة", "search": "بحث في العناوين",
        "filter": "تصفية", "reset": "مسح", "matching": "حادثة مطابقة", "first_seen": "أول رصد",
        "last_change": "آخر تغيير", "tolls": "الحصيلة", "sources": "المصادر",
        "killed": "قتلى", "injured": "جرحى", "copies": "نسخ", "timeline": "الحوادث يوميا",
        "export": "تصدير", "no_incidents": "لا حوادث تطابق التصفية", "new": "جديدة",
        "update": "تحديث", "duplicate": "تكرار", "facts": "الوقائع", "event_day": "يوم الحادثة",
        "claimed": "تبنٍّ معلن", "yes": "نعم", "no": "لا", "revision": "المراجعة",
        "toll_history": "الحصيلة عبر الوقت", "at": "الوقت", "outlet": "المصدر",
        "verdict": "الحكم", "evidence": "الأدلة", "history": "سجل التحديثات", "why": "لماذا",
        "copy_of": "نسخة", "no_evidence": "لا جمل محفوظة لهذه الحادثة",
        "pending": "قيد الانتظار", "sent": "أرسلت", "dead": "فشلت نهائيا",
        "redrive": "إعادة الإرسال", "redrive_all": "إعادة إرسال الكل",
        "login_to_act": "سجّل الدخول لإعادة الإرسال", "subscription": "الاشتراك",
        "channel": "القناة", "attempts": "المحاولات", "reason": "السبب", "next": "الموعد التالي",
        "state": "الحالة", "last_success": "آخر نجاح", "last_error": "آخر خطأ",
        "items_seen": "العناصر", "fetches": "الجلب", "failures": "الإخفاقات",
        "next_run": "الجلب التالي", "silent": "صامت", "resting": "متوقف مؤقتا",
        "ok": "سليم", "never": "أبدا", "markers": "علامة على الخريطة",
        "outline": "حدود ليبيا: Natural Earth (ملكية عامة)", "language": "English",
        "wrong_login": "الاسم أو كلمة المرور غير صحيحة", "too_many": "محاولات كثيرة؛ انتظر قليلا",
        "bad_csrf": "انتهت صلاحية النموذج؛ أعد تحميل الصفحة", "not_found": "لا توجد حادثة بهذا الرقم",
        "redriven": "أعيد إرسال", "page": "صفحة", "older": "الأقدم", "newer": "الأحدث",
        "days_all": "كل الأيام", "24h": "آخر 24 ساعة", "7d": "آخر 7 أيام", "30d": "آخر 30 يوما",
        "365d": "آخر سنة", "kind": "نوع التغيير", "open_map": "على الخريطة",
        "unknown": "غير معروف", "places": "الأماكن",
    },
    "en": {
        "brand": "Raqib", "console": "Analyst's console", "incidents": "Incidents", "map": "Map",
        "feeds": "Feeds", "deliveries": "Deliveries", "login": "Log in", "logout": "Log out",
        "name": "Name", "password": "Password", "span": "Span", "any": "Any",
        "region": "Region", "district": "District", "place": "Place", "type": "Type",
        "watchlist": "Watchlist", "tier": "Tier", "isis": "ISIS", "unattributed": "Unattributed",
        "min_toll": "Minimum toll", "search": "Search titles", "filter": "Filter",
        "reset": "Clear", "matching": "matching incidents", "first_seen": "First seen",
        "last_change": "Last change", "tolls": "Toll", "sources": "Sources", "killed": "killed",
        "injured": "injured", "copies": "copies", "timeline": "Incidents per day",
        "export": "Export", "no_incidents": "No incident matches these filters", "new": "new",
        "update": "update", "duplicate": "duplicate", "facts": "Facts", "event_day": "Event day",
        "claimed": "Claimed", "yes": "yes", "no": "no", "revision": "Revision",
        "toll_history": "Toll over time", "at": "When", "outlet": "Outlet",
        "verdict": "Verdict", "evidence": "Evidence", "history": "Update history", "why": "Why",
        "copy_of": "copy", "no_evidence": "No sentences kept for this incident",
        "pending": "Pending", "sent": "Sent", "dead": "Dead", "redrive": "Re-drive",
        "redrive_all": "Re-drive all", "login_to_act": "Log in to re-drive",
        "subscription": "Subscription", "channel": "Channel", "attempts": "Attempts",
        "reason": "Reason", "next": "Next try", "state": "State",
        "last_success": "Last success", "last_error": "Last error", "items_seen": "Items",
        "fetches": "Fetches", "failures": "Failures", "next_run": "Next run",
        "silent": "silent", "resting": "backing off", "ok": "ok", "never": "never",
        "markers": "markers on the map", "outline": "Libya's outline: Natural Earth (public domain)",
        "language": "العربية", "wrong_login": "Wrong name or password",
        "too_many": "Too many attempts; wait a while", "bad_csrf": "The form expired; reload the page",
        "not_found": "No incident with this id", "redriven": "Re-driven", "page": "Page",
        "older": "Older", "newer": "Newer", "days_all": "All days", "24h": "Last 24 hours",
        "7d": "Last 7 days", "30d": "Last 30 days", "365d": "Last year", "kind": "Change",
        "open_map": "on the map", "unknown": "unknown", "places": "Places",
    },
}  # fmt: skip


VERDICTS = {
    "ar": {"adopted": "اعتمدت", "confirms": "تؤكد الحصيلة", "not adopted": "لم تعتمد (أقل)"},
    "en": {"adopted": "adopted", "confirms": "confirms", "not adopted": "not adopted (lower)"},
}


@cache
def words(language: str) -> dict[str, Any]:
    """The console's words and the alerts' type and update-reason names, in one language."""
    shared = alert_labels()[language]
    return {
        **WORDS[language], "types": shared["types"], "reasons": shared["update_reasons"],
        "verdicts": VERDICTS[language],
    }  # fmt: skip
