"""The names of the world's states, as proposal format v1 writes them (English
short name, lower case, words joined by hyphens).

A recipient outside the five Central Asian states is allowed (rule CA601 says it is
outside the report's evidence), but a name that is no country at all (``kazakstan``,
``uzbekistn``) used to become a silently unanalysed recipient. Country fields are
checked against this list; a miss is an error with a "did you mean".
"""

from __future__ import annotations

WORLD = frozenset("""
afghanistan albania algeria andorra angola antigua-and-barbuda argentina armenia australia austria
azerbaijan bahamas bahrain bangladesh barbados belarus belgium belize benin bhutan bolivia
bosnia-and-herzegovina botswana brazil brunei bulgaria burkina-faso burundi cabo-verde cape-verde cambodia
cameroon canada central-african-republic chad chile china colombia comoros congo
democratic-republic-of-the-congo costa-rica cote-d-ivoire ivory-coast croatia cuba cyprus czechia
czech-republic denmark djibouti dominica dominican-republic ecuador egypt el-salvador equatorial-guinea
eritrea estonia eswatini swaziland ethiopia fiji finland france gabon gambia georgia germany ghana greece
grenada guatemala guinea guinea-bissau guyana haiti honduras hungary iceland india indonesia iran iraq
ireland israel italy jamaica japan jordan kazakhstan kenya kiribati north-korea south-korea kosovo kuwait
kyrgyzstan laos latvia lebanon lesotho liberia libya liechtenstein lithuania luxembourg madagascar malawi
malaysia maldives mali malta marshall-islands mauritania mauritius mexico micronesia moldova monaco
mongolia montenegro morocco mozambique myanmar burma namibia nauru nepal netherlands new-zealand nicaragua
niger nigeria north-macedonia macedonia norway oman pakistan palau palestine panama papua-new-guinea
paraguay peru philippines poland portugal qatar romania russia rwanda saint-kitts-and-nevis saint-lucia
saint-vincent-and-the-grenadines samoa san-marino sao-tome-and-principe saudi-arabia senegal serbia
seychelles sierra-leone singapore slovakia slovenia solomon-islands somalia south-africa south-sudan spain
sri-lanka sudan suriname sweden switzerland syria taiwan tajikistan tanzania thailand timor-leste togo
tonga trinidad-and-tobago tunisia turkey turkiye turkmenistan tuvalu uganda ukraine united-arab-emirates
united-kingdom united-states uruguay uzbekistan vanuatu vatican-city venezuela vietnam yemen zambia
zimbabwe
""".split())
