"""What the companion says first in each profile: what it can do, and the first buttons."""

from __future__ import annotations

from companion.chat.replies import ActionSpec
from companion.models import Profile


def opening(profile: Profile) -> tuple[str, list[ActionSpec]]:
    starters = {
        Profile.MENTEE: (
            "Ask me for **mentor suggestions** (/suggest), to draft a SMART **goal** "
            '("/goal present to the board by April"), or to prepare **questions** for '
            "your next session (/questions). After you meet, **/meeting** logs it; "
            "**/checkin** answers your check-in. For a confidential **note**, choose "
            "**note** under the message box. Questions about mentoring? **/ask** the "
            "programme's guides. /help lists everything.",
            [ActionSpec("suggest", "Suggest mentors", {}), ActionSpec("notes", "My notes", {})],
        ),
        Profile.MENTOR: (
            "I can show your **requests** (/requests), the **agenda** for your next "
            "session (/agenda), log a **meeting** you held (/meeting), and keep "
            "confidential **notes** (choose **note** under the message box). **/ask** the "
            "programme's guides anything about mentoring. /help lists everything.",
            [ActionSpec("requests", "My requests", {}), ActionSpec("notes", "My notes", {})],
        ),
        Profile.COORDINATOR: (
            "Review **proposed matches** (/review), see **skill gaps** no mentor covers "
            "(/gaps), open the **dashboard** (/dashboard) or the programme's **outcomes** "
            "(/outcomes: funnel, health over time, fairness, comparison, a report to share). "
            "**/ask** searches the programme's guides; `mentorkit guides add` adds your own.",
            [
                ActionSpec("review", "Review matches", {}),
                ActionSpec("dashboard", "Dashboard", {}),
                ActionSpec("outcomes", "Outcomes", {}),
            ],
        ),
    }
    return starters[profile]
