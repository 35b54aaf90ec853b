(000) ld       #0x0
(001) ld       #0x1
(002) ld       #0xe
(003) ld       #0x800
(004) ld       #0x7fffffff
(005) ld       #0x80000000
(006) ld       #0xffffffff
(007) ld       #0xfffff000
(008) ld       #0xfffff030
(009) ld       #0xfffff03c
(010) ld       #0xfffff040
(011) ld       #0xfffff002
(012) ldx      #0x0
(013) ldx      #0x1
(014) ldx      #0xe
(015) ldx      #0x800
(016) ldx      #0x7fffffff
(017) ldx      #0x80000000
(018) ldx      #0xffffffff
(019) ldx      #0xfffff000
(020) ldx      #0xfffff030
(021) ldx      #0xfffff03c
(022) ldx      #0xfffff040
(023) ldx      #0xfffff002
(024) st       M[0]
(025) st       M[1]
(026) st       M[14]
(027) st       M[2048]
(028) st       M[2147483647]
(029) st       M[-2147483648]
(030) st       M[-1]
(031) st       M[-4096]
(032) st       M[-4048]
(033) st       M[-4036]
(034) st       M[-4032]
(035) st       M[-4094]
(036) stx      M[0]
(037) stx      M[1]
(038) stx      M[14]
(039) stx      M[2048]
(040) stx      M[2147483647]
(041) stx      M[-2147483648]
(042) stx      M[-1]
(043) stx      M[-4096]
(044) stx      M[-4048]
(045) stx      M[-4036]
(046) stx      M[-4032]
(047) stx      M[-4094]
(048) add      #0
(049) add      #1
(050) add      #14
(051) add      #2048
(052) add      #2147483647
(053) add      #-2147483648
(054) add      #-1
(055) add      #-4096
(056) add      #-4048
(057) add      #-4036
(058) add      #-4032
(059) add      #-4094
(060) ja       61
(061) ja       63
(062) ja       77
(063) ja       2112
(064) ja       -2147483584
(065) ja       -2147483582
(066) ja       66
(067) ja       -4028
(068) ja       -3979
(069) ja       -3966
(070) ja       -3961
(071) ja       -4022
(072) ret      #0
(073) ret      #1
(074) ret      #14
(075) ret      #2048
(076) ret      #2147483647
(077) ret      #-2147483648
(078) ret      #-1
(079) ret      #-4096
(080) ret      #-4048
(081) ret      #-4036
(082) ret      #-4032
(083) ret      #-4094
(084) tax      
(085) tax      
(086) tax      
(087) tax      
(088) tax      
(089) tax      
(090) tax      
(091) tax      
(092) tax      
(093) tax      
(094) tax      
(095) tax      
(096) unimp    0x8
(097) unimp    0x8
(098) unimp    0x8
(099) unimp    0x8
(100) unimp    0x8
(101) unimp    0x8
(102) unimp    0x8
(103) unimp    0x8
(104) unimp    0x8
(105) unimp    0x8
(106) unimp    0x8
(107) unimp    0x8
(108) unimp    0x9
(109) unimp    0x9
(110) unimp    0x9
(111) unimp    0x9
(112) unimp    0x9
(113) unimp    0x9
(114) unimp    0x9
(115) unimp    0x9
(116) unimp    0x9
(117) unimp    0x9
(118) unimp    0x9
(119) unimp    0x9
(120) unimp    0xa
(121) unimp    0xa
(122) unimp    0xa
(123) unimp    0xa
(124) unimp    0xa
(125) unimp    0xa
(126) unimp    0xa
(127) unimp    0xa
(128) unimp    0xa
(129) unimp    0xa
(130) unimp    0xa
(131) unimp    0xa
(132) unimp    0xb
(133) unimp    0xb
(134) unimp    0xb
(135) unimp    0xb
(136) unimp    0xb
(137) unimp    0xb
(138) unimp    0xb
(139) unimp    0xb
(140) unimp    0xb
(141) unimp    0xb
(142) unimp    0xb
(143) unimp    0xb
(144) add      x
(145) add      x
(146) add      x
(147) add      x
(148) add      x
(149) add      x
(150) add      x
(151) add      x
(152) add      x
(153) add      x
(154) add      x
(155) add      x
(156) unimp    0xd
(157) unimp    0xd
(158) unimp    0xd
(159) unimp    0xd
(160) unimp    0xd
(161) unimp    0xd
(162) unimp    0xd
(163) unimp    0xd
(164) unimp    0xd
(165) unimp    0xd
(166) unimp    0xd
(167) unimp    0xd
(168) unimp    0xe
(169) unimp    0xe
(170) unimp    0xe
(171) unimp    0xe
(172) unimp    0xe
(173) unimp    0xe
(174) unimp    0xe
(175) unimp    0xe
(176) unimp    0xe
(177) unimp    0xe
(178) unimp    0xe
(179) unimp    0xe
(180) unimp    0xf
(181) unimp    0xf
(182) unimp    0xf
(183) unimp    0xf
(184) unimp    0xf
(185) unimp    0xf
(186) unimp    0xf
(187) unimp    0xf
(188) unimp    0xf
(189) unimp    0xf
(190) unimp    0xf
(191) unimp    0xf
(192) unimp    0x10
(193) unimp    0x10
(194) unimp    0x10
(195) unimp    0x10
(196) unimp    0x10
(197) unimp    0x10
(198) unimp    0x10
(199) unimp    0x10
(200) unimp    0x10
(201) unimp    0x10
(202) unimp    0x10
(203) unimp    0x10
(204) unimp    0x11
(205) unimp    0x11
(206) unimp    0x11
(207) unimp    0x11
(208) unimp    0x11
(209) unimp    0x11
(210) unimp    0x11
(211) unimp    0x11
(212) unimp    0x11
(213) unimp    0x11
(214) unimp    0x11
(215) unimp    0x11
(216) unimp    0x12
(217) unimp    0x12
(218) unimp    0x12
(219) unimp    0x12
(220) unimp    0x12
(221) unimp    0x12
(222) unimp    0x12
(223) unimp    0x12
(224) unimp    0x12
(225) unimp    0x12
(226) unimp    0x12
(227) unimp    0x12
(228) unimp    0x13
(229) unimp    0x13
(230) unimp    0x13
(231) unimp    0x13
(232) unimp    0x13
(233) unimp    0x13
(234) unimp    0x13
(235) unimp    0x13
(236) unimp    0x13
(237) unimp    0x13
(238) unimp    0x13
(239) unimp    0x13
(240) sub      #0
(241) sub      #1
(242) sub      #14
(243) sub      #2048
(244) sub      #2147483647
(245) sub      #-2147483648
(246) sub      #-1
(247) sub      #-4096
(248) sub      #-4048
(249) sub      #-4036
(250) sub      #-4032
(251) sub      #-4094
(252) jeq      #0x0             jt 400	jf 270
(253) jeq      #0x1             jt 402	jf 274
(254) jeq      #0xe             jt 404	jf 278
(255) jeq      #0x800           jt 406	jf 282
(256) jeq      #0x7fffffff      jt 408	jf 286
(257) jeq      #0x80000000      jt 410	jf 290
(258) jeq      #0xffffffff      jt 412	jf 294
(259) jeq      #0xfffff000      jt 414	jf 298
(260) jeq      #0xfffff030      jt 416	jf 302
(261) jeq      #0xfffff03c      jt 418	jf 306
(262) jeq      #0xfffff040      jt 420	jf 310
(263) jeq      #0xfffff002      jt 422	jf 314
(264) ret      
(265) ret      
(266) ret      
(267) ret      
(268) ret      
(269) ret      
(270) ret      
(271) ret      
(272) ret      
(273) ret      
(274) ret      
(275) ret      
(276) unimp    0x17
(277) unimp    0x17
(278) unimp    0x17
(279) unimp    0x17
(280) unimp    0x17
(281) unimp    0x17
(282) unimp    0x17
(283) unimp    0x17
(284) unimp    0x17
(285) unimp    0x17
(286) unimp    0x17
(287) unimp    0x17
(288) unimp    0x18
(289) unimp    0x18
(290) unimp    0x18
(291) unimp    0x18
(292) unimp    0x18
(293) unimp    0x18
(294) unimp    0x18
(295) unimp    0x18
(296) unimp    0x18
(297) unimp    0x18
(298) unimp    0x18
(299) unimp    0x18
(300) unimp    0x19
(301) unimp    0x19
(302) unimp    0x19
(303) unimp    0x19
(304) unimp    0x19
(305) unimp    0x19
(306) unimp    0x19
(307) unimp    0x19
(308) unimp    0x19
(309) unimp    0x19
(310) unimp    0x19
(311) unimp    0x19
(312) unimp    0x1a
(313) unimp    0x1a
(314) unimp    0x1a
(315) unimp    0x1a
(316) unimp    0x1a
(317) unimp    0x1a
(318) unimp    0x1a
(319) unimp    0x1a
(320) unimp    0x1a
(321) unimp    0x1a
(322) unimp    0x1a
(323) unimp    0x1a
(324) unimp    0x1b
(325) unimp    0x1b
(326) unimp    0x1b
(327) unimp    0x1b
(328) unimp    0x1b
(329) unimp    0x1b
(330) unimp    0x1b
(331) unimp    0x1b
(332) unimp    0x1b
(333) unimp    0x1b
(334) unimp    0x1b
(335) unimp    0x1b
(336) sub      x
(337) sub      x
(338) sub      x
(339) sub      x
(340) sub      x
(341) sub      x
(342) sub      x
(343) sub      x
(344) sub      x
(345) sub      x
(346) sub      x
(347) sub      x
(348) jeq      x                jt 552	jf 470
(349) jeq      x                jt 554	jf 474
(350) jeq      x                jt 556	jf 478
(351) jeq      x                jt 558	jf 482
(352) jeq      x                jt 560	jf 486
(353) jeq      x                jt 562	jf 490
(354) jeq      x                jt 564	jf 494
(355) jeq      x                jt 566	jf 498
(356) jeq      x                jt 568	jf 502
(357) jeq      x                jt 570	jf 506
(358) jeq      x                jt 572	jf 510
(359) jeq      x                jt 574	jf 514
(360) unimp    0x1e
(361) unimp    0x1e
(362) unimp    0x1e
(363) unimp    0x1e
(364) unimp    0x1e
(365) unimp    0x1e
(366) unimp    0x1e
(367) unimp    0x1e
(368) unimp    0x1e
(369) unimp    0x1e
(370) unimp    0x1e
(371) unimp    0x1e
(372) unimp    0x1f
(373) unimp    0x1f
(374) unimp    0x1f
(375) unimp    0x1f
(376) unimp    0x1f
(377) unimp    0x1f
(378) unimp    0x1f
(379) unimp    0x1f
(380) unimp    0x1f
(381) unimp    0x1f
(382) unimp    0x1f
(383) unimp    0x1f
(384) ld       [0]
(385) ld       [1]
(386) ld       [14]
(387) ld       [2048]
(388) ld       [2147483647]
(389) ld       [-2147483648]
(390) ld       [-1]
(391) ld       [proto]
(392) ld       [vlanp]
(393) ld       [vlan_tpid]
(394) ld       [-4032]
(395) ld       [-4094]
(396) unimp    0x21
(397) unimp    0x21
(398) unimp    0x21
(399) unimp    0x21
(400) unimp    0x21
(401) unimp    0x21
(402) unimp    0x21
(403) unimp    0x21
(404) unimp    0x21
(405) unimp    0x21
(406) unimp    0x21
(407) unimp    0x21
(408) unimp    0x22
(409) unimp    0x22
(410) unimp    0x22
(411) unimp    0x22
(412) unimp    0x22
(413) unimp    0x22
(414) unimp    0x22
(415) unimp    0x22
(416) unimp    0x22
(417) unimp    0x22
(418) unimp    0x22
(419) unimp    0x22
(420) unimp    0x23
(421) unimp    0x23
(422) unimp    0x23
(423) unimp    0x23
(424) unimp    0x23
(425) unimp    0x23
(426) unimp    0x23
(427) unimp    0x23
(428) unimp    0x23
(429) unimp    0x23
(430) unimp    0x23
(431) unimp    0x23
(432) mul      #0
(433) mul      #1
(434) mul      #14
(435) mul      #2048
(436) mul      #2147483647
(437) mul      #-2147483648
(438) mul      #-1
(439) mul      #-4096
(440) mul      #-4048
(441) mul      #-4036
(442) mul      #-4032
(443) mul      #-4094
(444) jgt      #0x0             jt 448	jf 670
(445) jgt      #0x1             jt 450	jf 674
(446) jgt      #0xe             jt 452	jf 678
(447) jgt      #0x800           jt 454	jf 682
(448) jgt      #0x7fffffff      jt 456	jf 686
(449) jgt      #0x80000000      jt 458	jf 690
(450) jgt      #0xffffffff      jt 460	jf 694
(451) jgt      #0xfffff000      jt 462	jf 698
(452) jgt      #0xfffff030      jt 464	jf 702
(453) jgt      #0xfffff03c      jt 466	jf 706
(454) jgt      #0xfffff040      jt 468	jf 710
(455) jgt      #0xfffff002      jt 470	jf 458
(456) unimp    0x26
(457) unimp    0x26
(458) unimp    0x26
(459) unimp    0x26
(460) unimp    0x26
(461) unimp    0x26
(462) unimp    0x26
(463) unimp    0x26
(464) unimp    0x26
(465) unimp    0x26
(466) unimp    0x26
(467) unimp    0x26
(468) unimp    0x27
(469) unimp    0x27
(470) unimp    0x27
(471) unimp    0x27
(472) unimp    0x27
(473) unimp    0x27
(474) unimp    0x27
(475) unimp    0x27
(476) unimp    0x27
(477) unimp    0x27
(478) unimp    0x27
(479) unimp    0x27
(480) ldh      [0]
(481) ldh      [1]
(482) ldh      [14]
(483) ldh      [2048]
(484) ldh      [2147483647]
(485) ldh      [-2147483648]
(486) ldh      [-1]
(487) ldh      [proto]
(488) ldh      [vlanp]
(489) ldh      [vlan_tpid]
(490) ldh      [-4032]
(491) ldh      [-4094]
(492) unimp    0x29
(493) unimp    0x29
(494) unimp    0x29
(495) unimp    0x29
(496) unimp    0x29
(497) unimp    0x29
(498) unimp    0x29
(499) unimp    0x29
(500) unimp    0x29
(501) unimp    0x29
(502) unimp    0x29
(503) unimp    0x29
(504) unimp    0x2a
(505) unimp    0x2a
(506) unimp    0x2a
(507) unimp    0x2a
(508) unimp    0x2a
(509) unimp    0x2a
(510) unimp    0x2a
(511) unimp    0x2a
(512) unimp    0x2a
(513) unimp    0x2a
(514) unimp    0x2a
(515) unimp    0x2a
(516) unimp    0x2b
(517) unimp    0x2b
(518) unimp    0x2b
(519) unimp    0x2b
(520) unimp    0x2b
(521) unimp    0x2b
(522) unimp    0x2b
(523) unimp    0x2b
(524) unimp    0x2b
(525) unimp    0x2b
(526) unimp    0x2b
(527) unimp    0x2b
(528) mul      x
(529) mul      x
(530) mul      x
(531) mul      x
(532) mul      x
(533) mul      x
(534) mul      x
(535) mul      x
(536) mul      x
(537) mul      x
(538) mul      x
(539) mul      x
(540) jgt      x                jt 600	jf 614
(541) jgt      x                jt 602	jf 618
(542) jgt      x                jt 604	jf 622
(543) jgt      x                jt 606	jf 626
(544) jgt      x                jt 608	jf 630
(545) jgt      x                jt 610	jf 634
(546) jgt      x                jt 612	jf 638
(547) jgt      x                jt 614	jf 642
(548) jgt      x                jt 616	jf 646
(549) jgt      x                jt 618	jf 650
(550) jgt      x                jt 620	jf 654
(551) jgt      x                jt 622	jf 658
(552) unimp    0x2e
(553) unimp    0x2e
(554) unimp    0x2e
(555) unimp    0x2e
(556) unimp    0x2e
(557) unimp    0x2e
(558) unimp    0x2e
(559) unimp    0x2e
(560) unimp    0x2e
(561) unimp    0x2e
(562) unimp    0x2e
(563) unimp    0x2e
(564) unimp    0x2f
(565) unimp    0x2f
(566) unimp    0x2f
(567) unimp    0x2f
(568) unimp    0x2f
(569) unimp    0x2f
(570) unimp    0x2f
(571) unimp    0x2f
(572) unimp    0x2f
(573) unimp    0x2f
(574) unimp    0x2f
(575) unimp    0x2f
(576) ldb      [0]
(577) ldb      [1]
(578) ldb      [14]
(579) ldb      [2048]
(580) ldb      [2147483647]
(581) ldb      [-2147483648]
(582) ldb      [-1]
(583) ldb      [proto]
(584) ldb      [vlanp]
(585) ldb      [vlan_tpid]
(586) ldb      [-4032]
(587) ldb      [-4094]
(588) unimp    0x31
(589) unimp    0x31
(590) unimp    0x31
(591) unimp    0x31
(592) unimp    0x31
(593) unimp    0x31
(594) unimp    0x31
(595) unimp    0x31
(596) unimp    0x31
(597) unimp    0x31
(598) unimp    0x31
(599) unimp    0x31
(600) unimp    0x32
(601) unimp    0x32
(602) unimp    0x32
(603) unimp    0x32
(604) unimp    0x32
(605) unimp    0x32
(606) unimp    0x32
(607) unimp    0x32
(608) unimp    0x32
(609) unimp    0x32
(610) unimp    0x32
(611) unimp    0x32
(612) unimp    0x33
(613) unimp    0x33
(614) unimp    0x33
(615) unimp    0x33
(616) unimp    0x33
(617) unimp    0x33
(618) unimp    0x33
(619) unimp    0x33
(620) unimp    0x33
(621) unimp    0x33
(622) unimp    0x33
(623) unimp    0x33
(624) div      #0
(625) div      #1
(626) div      #14
(627) div      #2048
(628) div      #2147483647
(629) div      #-2147483648
(630) div      #-1
(631) div      #-4096
(632) div      #-4048
(633) div      #-4036
(634) div      #-4032
(635) div      #-4094
(636) jge      #0x0             jt 752	jf 814
(637) jge      #0x1             jt 754	jf 818
(638) jge      #0xe             jt 756	jf 822
(639) jge      #0x800           jt 758	jf 826
(640) jge      #0x7fffffff      jt 760	jf 830
(641) jge      #0x80000000      jt 762	jf 834
(642) jge      #0xffffffff      jt 764	jf 838
(643) jge      #0xfffff000      jt 766	jf 842
(644) jge      #0xfffff030      jt 768	jf 846
(645) jge      #0xfffff03c      jt 770	jf 850
(646) jge      #0xfffff040      jt 772	jf 854
(647) jge      #0xfffff002      jt 774	jf 858
(648) unimp    0x36
(649) unimp    0x36
(650) unimp    0x36
(651) unimp    0x36
(652) unimp    0x36
(653) unimp    0x36
(654) unimp    0x36
(655) unimp    0x36
(656) unimp    0x36
(657) unimp    0x36
(658) unimp    0x36
(659) unimp    0x36
(660) unimp    0x37
(661) unimp    0x37
(662) unimp    0x37
(663) unimp    0x37
(664) unimp    0x37
(665) unimp    0x37
(666) unimp    0x37
(667) unimp    0x37
(668) unimp    0x37
(669) unimp    0x37
(670) unimp    0x37
(671) unimp    0x37
(672) unimp    0x38
(673) unimp    0x38
(674) unimp    0x38
(675) unimp    0x38
(676) unimp    0x38
(677) unimp    0x38
(678) unimp    0x38
(679) unimp    0x38
(680) unimp    0x38
(681) unimp    0x38
(682) unimp    0x38
(683) unimp    0x38
(684) unimp    0x39
(685) unimp    0x39
(686) unimp    0x39
(687) unimp    0x39
(688) unimp    0x39
(689) unimp    0x39
(690) unimp    0x39
(691) unimp    0x39
(692) unimp    0x39
(693) unimp    0x39
(694) unimp    0x39
(695) unimp    0x39
(696) unimp    0x3a
(697) unimp    0x3a
(698) unimp    0x3a
(699) unimp    0x3a
(700) unimp    0x3a
(701) unimp    0x3a
(702) unimp    0x3a
(703) unimp    0x3a
(704) unimp    0x3a
(705) unimp    0x3a
(706) unimp    0x3a
(707) unimp    0x3a
(708) unimp    0x3b
(709) unimp    0x3b
(710) unimp    0x3b
(711) unimp    0x3b
(712) unimp    0x3b
(713) unimp    0x3b
(714) unimp    0x3b
(715) unimp    0x3b
(716) unimp    0x3b
(717) unimp    0x3b
(718) unimp    0x3b
(719) unimp    0x3b
(720) div      x
(721) div      x
(722) div      x
(723) div      x
(724) div      x
(725) div      x
(726) div      x
(727) div      x
(728) div      x
(729) div      x
(730) div      x
(731) div      x
(732) jge      x                jt 904	jf 758
(733) jge      x                jt 906	jf 762
(734) jge      x                jt 908	jf 766
(735) jge      x                jt 910	jf 770
(736) jge      x                jt 912	jf 774
(737) jge      x                jt 914	jf 778
(738) jge      x                jt 916	jf 782
(739) jge      x                jt 918	jf 786
(740) jge      x                jt 920	jf 790
(741) jge      x                jt 922	jf 794
(742) jge      x                jt 924	jf 798
(743) jge      x                jt 926	jf 802
(744) unimp    0x3e
(745) unimp    0x3e
(746) unimp    0x3e
(747) unimp    0x3e
(748) unimp    0x3e
(749) unimp    0x3e
(750) unimp    0x3e
(751) unimp    0x3e
(752) unimp    0x3e
(753) unimp    0x3e
(754) unimp    0x3e
(755) unimp    0x3e
(756) unimp    0x3f
(757) unimp    0x3f
(758) unimp    0x3f
(759) unimp    0x3f
(760) unimp    0x3f
(761) unimp    0x3f
(762) unimp    0x3f
(763) unimp    0x3f
(764) unimp    0x3f
(765) unimp    0x3f
(766) unimp    0x3f
(767) unimp    0x3f
(768) ld       [x + 0]
(769) ld       [x + 1]
(770) ld       [x + 14]
(771) ld       [x + 2048]
(772) ld       [x + 2147483647]
(773) ld       [x + -2147483648]
(774) ld       [x + -1]
(775) ld       [x + -4096]
(776) ld       [x + -4048]
(777) ld       [x + -4036]
(778) ld       [x + -4032]
(779) ld       [x + -4094]
(780) unimp    0x41
(781) unimp    0x41
(782) unimp    0x41
(783) unimp    0x41
(784) unimp    0x41
(785) unimp    0x41
(786) unimp    0x41
(787) unimp    0x41
(788) unimp    0x41
(789) unimp    0x41
(790) unimp    0x41
(791) unimp    0x41
(792) unimp    0x42
(793) unimp    0x42
(794) unimp    0x42
(795) unimp    0x42
(796) unimp    0x42
(797) unimp    0x42
(798) unimp    0x42
(799) unimp    0x42
(800) unimp    0x42
(801) unimp    0x42
(802) unimp    0x42
(803) unimp    0x42
(804) unimp    0x43
(805) unimp    0x43
(806) unimp    0x43
(807) unimp    0x43
(808) unimp    0x43
(809) unimp    0x43
(810) unimp    0x43
(811) unimp    0x43
(812) unimp    0x43
(813) unimp    0x43
(814) unimp    0x43
(815) unimp    0x43
(816) or       #0x0
(817) or       #0x1
(818) or       #0xe
(819) or       #0x800
(820) or       #0x7fffffff
(821) or       #0x80000000
(822) or       #0xffffffff
(823) or       #0xfffff000
(824) or       #0xfffff030
(825) or       #0xfffff03c
(826) or       #0xfffff040
(827) or       #0xfffff002
(828) jset     #0x0             jt 1056	jf 958
(829) jset     #0x1             jt 1058	jf 962
(830) jset     #0xe             jt 1060	jf 966
(831) jset     #0x800           jt 1062	jf 970
(832) jset     #0x7fffffff      jt 1064	jf 974
(833) jset     #0x80000000      jt 1066	jf 978
(834) jset     #0xffffffff      jt 1068	jf 982
(835) jset     #0xfffff000      jt 1070	jf 986
(836) jset     #0xfffff030      jt 1072	jf 990
(837) jset     #0xfffff03c      jt 1074	jf 994
(838) jset     #0xfffff040      jt 1076	jf 998
(839) jset     #0xfffff002      jt 1078	jf 1002
(840) unimp    0x46
(841) unimp    0x46
(842) unimp    0x46
(843) unimp    0x46
(844) unimp    0x46
(845) unimp    0x46
(846) unimp    0x46
(847) unimp    0x46
(848) unimp    0x46
(849) unimp    0x46
(850) unimp    0x46
(851) unimp    0x46
(852) unimp    0x47
(853) unimp    0x47
(854) unimp    0x47
(855) unimp    0x47
(856) unimp    0x47
(857) unimp    0x47
(858) unimp    0x47
(859) unimp    0x47
(860) unimp    0x47
(861) unimp    0x47
(862) unimp    0x47
(863) unimp    0x47
(864) ldh      [x + 0]
(865) ldh      [x + 1]
(866) ldh      [x + 14]
(867) ldh      [x + 2048]
(868) ldh      [x + 2147483647]
(869) ldh      [x + -2147483648]
(870) ldh      [x + -1]
(871) ldh      [x + -4096]
(872) ldh      [x + -4048]
(873) ldh      [x + -4036]
(874) ldh      [x + -4032]
(875) ldh      [x + -4094]
(876) unimp    0x49
(877) unimp    0x49
(878) unimp    0x49
(879) unimp    0x49
(880) unimp    0x49
(881) unimp    0x49
(882) unimp    0x49
(883) unimp    0x49
(884) unimp    0x49
(885) unimp    0x49
(886) unimp    0x49
(887) unimp    0x49
(888) unimp    0x4a
(889) unimp    0x4a
(890) unimp    0x4a
(891) unimp    0x4a
(892) unimp    0x4a
(893) unimp    0x4a
(894) unimp    0x4a
(895) unimp    0x4a
(896) unimp    0x4a
(897) unimp    0x4a
(898) unimp    0x4a
(899) unimp    0x4a
(900) unimp    0x4b
(901) unimp    0x4b
(902) unimp    0x4b
(903) unimp    0x4b
(904) unimp    0x4b
(905) unimp    0x4b
(906) unimp    0x4b
(907) unimp    0x4b
(908) unimp    0x4b
(909) unimp    0x4b
(910) unimp    0x4b
(911) unimp    0x4b
(912) or       x
(913) or       x
(914) or       x
(915) or       x
(916) or       x
(917) or       x
(918) or       x
(919) or       x
(920) or       x
(921) or       x
(922) or       x
(923) or       x
(924) jset     x                jt 952	jf 1158
(925) jset     x                jt 954	jf 1162
(926) jset     x                jt 956	jf 1166
(927) jset     x                jt 958	jf 1170
(928) jset     x                jt 960	jf 1174
(929) jset     x                jt 962	jf 1178
(930) jset     x                jt 964	jf 1182
(931) jset     x                jt 966	jf 1186
(932) jset     x                jt 968	jf 934
(933) jset     x                jt 970	jf 938
(934) jset     x                jt 972	jf 942
(935) jset     x                jt 974	jf 946
(936) unimp    0x4e
(937) unimp    0x4e
(938) unimp    0x4e
(939) unimp    0x4e
(940) unimp    0x4e
(941) unimp    0x4e
(942) unimp    0x4e
(943) unimp    0x4e
(944) unimp    0x4e
(945) unimp    0x4e
(946) unimp    0x4e
(947) unimp    0x4e
(948) unimp    0x4f
(949) unimp    0x4f
(950) unimp    0x4f
(951) unimp    0x4f
(952) unimp    0x4f
(953) unimp    0x4f
(954) unimp    0x4f
(955) unimp    0x4f
(956) unimp    0x4f
(957) unimp    0x4f
(958) unimp    0x4f
(959) unimp    0x4f
(960) ldb      [x + 0]
(961) ldb      [x + 1]
(962) ldb      [x + 14]
(963) ldb      [x + 2048]
(964) ldb      [x + 2147483647]
(965) ldb      [x + -2147483648]
(966) ldb      [x + -1]
(967) ldb      [x + -4096]
(968) ldb      [x + -4048]
(969) ldb      [x + -4036]
(970) ldb      [x + -4032]
(971) ldb      [x + -4094]
(972) unimp    0x51
(973) unimp    0x51
(974) unimp    0x51
(975) unimp    0x51
(976) unimp    0x51
(977) unimp    0x51
(978) unimp    0x51
(979) unimp    0x51
(980) unimp    0x51
(981) unimp    0x51
(982) unimp    0x51
(983) unimp    0x51
(984) unimp    0x52
(985) unimp    0x52
(986) unimp    0x52
(987) unimp    0x52
(988) unimp    0x52
(989) unimp    0x52
(990) unimp    0x52
(991) unimp    0x52
(992) unimp    0x52
(993) unimp    0x52
(994) unimp    0x52
(995) unimp    0x52
(996) unimp    0x53
(997) unimp    0x53
(998) unimp    0x53
(999) unimp    0x53
(1000) unimp    0x53
(1001) unimp    0x53
(1002) unimp    0x53
(1003) unimp    0x53
(1004) unimp    0x53
(1005) unimp    0x53
(1006) unimp    0x53
(1007) unimp    0x53
(1008) and      #0x0
(1009) and      #0x1
(1010) and      #0xe
(1011) and      #0x800
(1012) and      #0x7fffffff
(1013) and      #0x80000000
(1014) and      #0xffffffff
(1015) and      #0xfffff000
(1016) and      #0xfffff030
(1017) and      #0xfffff03c
(1018) and      #0xfffff040
(1019) and      #0xfffff002
(1020) unimp    0x55             jt 1104	jf 1102
(1021) unimp    0x55             jt 1106	jf 1106
(1022) unimp    0x55             jt 1108	jf 1110
(1023) unimp    0x55             jt 1110	jf 1114
(1024) unimp    0x55             jt 1112	jf 1118
(1025) unimp    0x55             jt 1114	jf 1122
(1026) unimp    0x55             jt 1116	jf 1126
(1027) unimp    0x55             jt 1118	jf 1130
(1028) unimp    0x55             jt 1120	jf 1134
(1029) unimp    0x55             jt 1122	jf 1138
(1030) unimp    0x55             jt 1124	jf 1142
(1031) unimp    0x55             jt 1126	jf 1146
(1032) unimp    0x56
(1033) unimp    0x56
(1034) unimp    0x56
(1035) unimp    0x56
(1036) unimp    0x56
(1037) unimp    0x56
(1038) unimp    0x56
(1039) unimp    0x56
(1040) unimp    0x56
(1041) unimp    0x56
(1042) unimp    0x56
(1043) unimp    0x56
(1044) unimp    0x57
(1045) unimp    0x57
(1046) unimp    0x57
(1047) unimp    0x57
(1048) unimp    0x57
(1049) unimp    0x57
(1050) unimp    0x57
(1051) unimp    0x57
(1052) unimp    0x57
(1053) unimp    0x57
(1054) unimp    0x57
(1055) unimp    0x57
(1056) unimp    0x58
(1057) unimp    0x58
(1058) unimp    0x58
(1059) unimp    0x58
(1060) unimp    0x58
(1061) unimp    0x58
(1062) unimp    0x58
(1063) unimp    0x58
(1064) unimp    0x58
(1065) unimp    0x58
(1066) unimp    0x58
(1067) unimp    0x58
(1068) unimp    0x59
(1069) unimp    0x59
(1070) unimp    0x59
(1071) unimp    0x59
(1072) unimp    0x59
(1073) unimp    0x59
(1074) unimp    0x59
(1075) unimp    0x59
(1076) unimp    0x59
(1077) unimp    0x59
(1078) unimp    0x59
(1079) unimp    0x59
(1080) unimp    0x5a
(1081) unimp    0x5a
(1082) unimp    0x5a
(1083) unimp    0x5a
(1084) unimp    0x5a
(1085) unimp    0x5a
(1086) unimp    0x5a
(1087) unimp    0x5a
(1088) unimp    0x5a
(1089) unimp    0x5a
(1090) unimp    0x5a
(1091) unimp    0x5a
(1092) unimp    0x5b
(1093) unimp    0x5b
(1094) unimp    0x5b
(1095) unimp    0x5b
(1096) unimp    0x5b
(1097) unimp    0x5b
(1098) unimp    0x5b
(1099) unimp    0x5b
(1100) unimp    0x5b
(1101) unimp    0x5b
(1102) unimp    0x5b
(1103) unimp    0x5b
(1104) and      x
(1105) and      x
(1106) and      x
(1107) and      x
(1108) and      x
(1109) and      x
(1110) and      x
(1111) and      x
(1112) and      x
(1113) and      x
(1114) and      x
(1115) and      x
(1116) unimp    0x5d             jt 1256	jf 1302
(1117) unimp    0x5d             jt 1258	jf 1306
(1118) unimp    0x5d             jt 1260	jf 1310
(1119) unimp    0x5d             jt 1262	jf 1314
(1120) unimp    0x5d             jt 1264	jf 1318
(1121) unimp    0x5d             jt 1266	jf 1322
(1122) unimp    0x5d             jt 1268	jf 1326
(1123) unimp    0x5d             jt 1270	jf 1330
(1124) unimp    0x5d             jt 1272	jf 1334
(1125) unimp    0x5d             jt 1274	jf 1338
(1126) unimp    0x5d             jt 1276	jf 1342
(1127) unimp    0x5d             jt 1278	jf 1346
(1128) unimp    0x5e
(1129) unimp    0x5e
(1130) unimp    0x5e
(1131) unimp    0x5e
(1132) unimp    0x5e
(1133) unimp    0x5e
(1134) unimp    0x5e
(1135) unimp    0x5e
(1136) unimp    0x5e
(1137) unimp    0x5e
(1138) unimp    0x5e
(1139) unimp    0x5e
(1140) unimp    0x5f
(1141) unimp    0x5f
(1142) unimp    0x5f
(1143) unimp    0x5f
(1144) unimp    0x5f
(1145) unimp    0x5f
(1146) unimp    0x5f
(1147) unimp    0x5f
(1148) unimp    0x5f
(1149) unimp    0x5f
(1150) unimp    0x5f
(1151) unimp    0x5f
(1152) ld       M[0]
(1153) ld       M[1]
(1154) ld       M[14]
(1155) ld       M[2048]
(1156) ld       M[2147483647]
(1157) ld       M[-2147483648]
(1158) ld       M[-1]
(1159) ld       M[-4096]
(1160) ld       M[-4048]
(1161) ld       M[-4036]
(1162) ld       M[-4032]
(1163) ld       M[-4094]
(1164) ldx      M[0]
(1165) ldx      M[1]
(1166) ldx      M[14]
(1167) ldx      M[2048]
(1168) ldx      M[2147483647]
(1169) ldx      M[-2147483648]
(1170) ldx      M[-1]
(1171) ldx      M[-4096]
(1172) ldx      M[-4048]
(1173) ldx      M[-4036]
(1174) ldx      M[-4032]
(1175) ldx      M[-4094]
(1176) unimp    0x62
(1177) unimp    0x62
(1178) unimp    0x62
(1179) unimp    0x62
(1180) unimp    0x62
(1181) unimp    0x62
(1182) unimp    0x62
(1183) unimp    0x62
(1184) unimp    0x62
(1185) unimp    0x62
(1186) unimp    0x62
(1187) unimp    0x62
(1188) unimp    0x63
(1189) unimp    0x63
(1190) unimp    0x63
(1191) unimp    0x63
(1192) unimp    0x63
(1193) unimp    0x63
(1194) unimp    0x63
(1195) unimp    0x63
(1196) unimp    0x63
(1197) unimp    0x63
(1198) unimp    0x63
(1199) unimp    0x63
(1200) lsh      #0
(1201) lsh      #1
(1202) lsh      #14
(1203) lsh      #2048
(1204) lsh      #2147483647
(1205) lsh      #-2147483648
(1206) lsh      #-1
(1207) lsh      #-4096
(1208) lsh      #-4048
(1209) lsh      #-4036
(1210) lsh      #-4032
(1211) lsh      #-4094
(1212) unimp    0x65             jt 1408	jf 1246
(1213) unimp    0x65             jt 1410	jf 1250
(1214) unimp    0x65             jt 1412	jf 1254
(1215) unimp    0x65             jt 1414	jf 1258
(1216) unimp    0x65             jt 1416	jf 1262
(1217) unimp    0x65             jt 1418	jf 1266
(1218) unimp    0x65             jt 1420	jf 1270
(1219) unimp    0x65             jt 1422	jf 1274
(1220) unimp    0x65             jt 1424	jf 1278
(1221) unimp    0x65             jt 1426	jf 1282
(1222) unimp    0x65             jt 1428	jf 1286
(1223) unimp    0x65             jt 1430	jf 1290
(1224) unimp    0x66
(1225) unimp    0x66
(1226) unimp    0x66
(1227) unimp    0x66
(1228) unimp    0x66
(1229) unimp    0x66
(1230) unimp    0x66
(1231) unimp    0x66
(1232) unimp    0x66
(1233) unimp    0x66
(1234) unimp    0x66
(1235) unimp    0x66
(1236) unimp    0x67
(1237) unimp    0x67
(1238) unimp    0x67
(1239) unimp    0x67
(1240) unimp    0x67
(1241) unimp    0x67
(1242) unimp    0x67
(1243) unimp    0x67
(1244) unimp    0x67
(1245) unimp    0x67
(1246) unimp    0x67
(1247) unimp    0x67
(1248) unimp    0x68
(1249) unimp    0x68
(1250) unimp    0x68
(1251) unimp    0x68
(1252) unimp    0x68
(1253) unimp    0x68
(1254) unimp    0x68
(1255) unimp    0x68
(1256) unimp    0x68
(1257) unimp    0x68
(1258) unimp    0x68
(1259) unimp    0x68
(1260) unimp    0x69
(1261) unimp    0x69
(1262) unimp    0x69
(1263) unimp    0x69
(1264) unimp    0x69
(1265) unimp    0x69
(1266) unimp    0x69
(1267) unimp    0x69
(1268) unimp    0x69
(1269) unimp    0x69
(1270) unimp    0x69
(1271) unimp    0x69
(1272) unimp    0x6a
(1273) unimp    0x6a
(1274) unimp    0x6a
(1275) unimp    0x6a
(1276) unimp    0x6a
(1277) unimp    0x6a
(1278) unimp    0x6a
(1279) unimp    0x6a
(1280) unimp    0x6a
(1281) unimp    0x6a
(1282) unimp    0x6a
(1283) unimp    0x6a
(1284) unimp    0x6b
(1285) unimp    0x6b
(1286) unimp    0x6b
(1287) unimp    0x6b
(1288) unimp    0x6b
(1289) unimp    0x6b
(1290) unimp    0x6b
(1291) unimp    0x6b
(1292) unimp    0x6b
(1293) unimp    0x6b
(1294) unimp    0x6b
(1295) unimp    0x6b
(1296) lsh      x
(1297) lsh      x
(1298) lsh      x
(1299) lsh      x
(1300) lsh      x
(1301) lsh      x
(1302) lsh      x
(1303) lsh      x
(1304) lsh      x
(1305) lsh      x
(1306) lsh      x
(1307) lsh      x
(1308) unimp    0x6d             jt 1560	jf 1446
(1309) unimp    0x6d             jt 1562	jf 1450
(1310) unimp    0x6d             jt 1564	jf 1454
(1311) unimp    0x6d             jt 1566	jf 1458
(1312) unimp    0x6d             jt 1568	jf 1462
(1313) unimp    0x6d             jt 1314	jf 1466
(1314) unimp    0x6d             jt 1316	jf 1470
(1315) unimp    0x6d             jt 1318	jf 1474
(1316) unimp    0x6d             jt 1320	jf 1478
(1317) unimp    0x6d             jt 1322	jf 1482
(1318) unimp    0x6d             jt 1324	jf 1486
(1319) unimp    0x6d             jt 1326	jf 1490
(1320) unimp    0x6e
(1321) unimp    0x6e
(1322) unimp    0x6e
(1323) unimp    0x6e
(1324) unimp    0x6e
(1325) unimp    0x6e
(1326) unimp    0x6e
(1327) unimp    0x6e
(1328) unimp    0x6e
(1329) unimp    0x6e
(1330) unimp    0x6e
(1331) unimp    0x6e
(1332) unimp    0x6f
(1333) unimp    0x6f
(1334) unimp    0x6f
(1335) unimp    0x6f
(1336) unimp    0x6f
(1337) unimp    0x6f
(1338) unimp    0x6f
(1339) unimp    0x6f
(1340) unimp    0x6f
(1341) unimp    0x6f
(1342) unimp    0x6f
(1343) unimp    0x6f
(1344) unimp    0x70
(1345) unimp    0x70
(1346) unimp    0x70
(1347) unimp    0x70
(1348) unimp    0x70
(1349) unimp    0x70
(1350) unimp    0x70
(1351) unimp    0x70
(1352) unimp    0x70
(1353) unimp    0x70
(1354) unimp    0x70
(1355) unimp    0x70
(1356) unimp    0x71
(1357) unimp    0x71
(1358) unimp    0x71
(1359) unimp    0x71
(1360) unimp    0x71
(1361) unimp    0x71
(1362) unimp    0x71
(1363) unimp    0x71
(1364) unimp    0x71
(1365) unimp    0x71
(1366) unimp    0x71
(1367) unimp    0x71
(1368) unimp    0x72
(1369) unimp    0x72
(1370) unimp    0x72
(1371) unimp    0x72
(1372) unimp    0x72
(1373) unimp    0x72
(1374) unimp    0x72
(1375) unimp    0x72
(1376) unimp    0x72
(1377) unimp    0x72
(1378) unimp    0x72
(1379) unimp    0x72
(1380) unimp    0x73
(1381) unimp    0x73
(1382) unimp    0x73
(1383) unimp    0x73
(1384) unimp    0x73
(1385) unimp    0x73
(1386) unimp    0x73
(1387) unimp    0x73
(1388) unimp    0x73
(1389) unimp    0x73
(1390) unimp    0x73
(1391) unimp    0x73
(1392) rsh      #0
(1393) rsh      #1
(1394) rsh      #14
(1395) rsh      #2048
(1396) rsh      #2147483647
(1397) rsh      #-2147483648
(1398) rsh      #-1
(1399) rsh      #-4096
(1400) rsh      #-4048
(1401) rsh      #-4036
(1402) rsh      #-4032
(1403) rsh      #-4094
(1404) unimp    0x75             jt 1456	jf 1646
(1405) unimp    0x75             jt 1458	jf 1650
(1406) unimp    0x75             jt 1460	jf 1654
(1407) unimp    0x75             jt 1462	jf 1658
(1408) unimp    0x75             jt 1464	jf 1662
(1409) unimp    0x75             jt 1466	jf 1410
(1410) unimp    0x75             jt 1468	jf 1414
(1411) unimp    0x75             jt 1470	jf 1418
(1412) unimp    0x75             jt 1472	jf 1422
(1413) unimp    0x75             jt 1474	jf 1426
(1414) unimp    0x75             jt 1476	jf 1430
(1415) unimp    0x75             jt 1478	jf 1434
(1416) unimp    0x76
(1417) unimp    0x76
(1418) unimp    0x76
(1419) unimp    0x76
(1420) unimp    0x76
(1421) unimp    0x76
(1422) unimp    0x76
(1423) unimp    0x76
(1424) unimp    0x76
(1425) unimp    0x76
(1426) unimp    0x76
(1427) unimp    0x76
(1428) unimp    0x77
(1429) unimp    0x77
(1430) unimp    0x77
(1431) unimp    0x77
(1432) unimp    0x77
(1433) unimp    0x77
(1434) unimp    0x77
(1435) unimp    0x77
(1436) unimp    0x77
(1437) unimp    0x77
(1438) unimp    0x77
(1439) unimp    0x77
(1440) unimp    0x78
(1441) unimp    0x78
(1442) unimp    0x78
(1443) unimp    0x78
(1444) unimp    0x78
(1445) unimp    0x78
(1446) unimp    0x78
(1447) unimp    0x78
(1448) unimp    0x78
(1449) unimp    0x78
(1450) unimp    0x78
(1451) unimp    0x78
(1452) unimp    0x79
(1453) unimp    0x79
(1454) unimp    0x79
(1455) unimp    0x79
(1456) unimp    0x79
(1457) unimp    0x79
(1458) unimp    0x79
(1459) unimp    0x79
(1460) unimp    0x79
(1461) unimp    0x79
(1462) unimp    0x79
(1463) unimp    0x79
(1464) unimp    0x7a
(1465) unimp    0x7a
(1466) unimp    0x7a
(1467) unimp    0x7a
(1468) unimp    0x7a
(1469) unimp    0x7a
(1470) unimp    0x7a
(1471) unimp    0x7a
(1472) unimp    0x7a
(1473) unimp    0x7a
(1474) unimp    0x7a
(1475) unimp    0x7a
(1476) unimp    0x7b
(1477) unimp    0x7b
(1478) unimp    0x7b
(1479) unimp    0x7b
(1480) unimp    0x7b
(1481) unimp    0x7b
(1482) unimp    0x7b
(1483) unimp    0x7b
(1484) unimp    0x7b
(1485) unimp    0x7b
(1486) unimp    0x7b
(1487) unimp    0x7b
(1488) rsh      x
(1489) rsh      x
(1490) rsh      x
(1491) rsh      x
(1492) rsh      x
(1493) rsh      x
(1494) rsh      x
(1495) rsh      x
(1496) rsh      x
(1497) rsh      x
(1498) rsh      x
(1499) rsh      x
(1500) unimp    0x7d             jt 1608	jf 1590
(1501) unimp    0x7d             jt 1610	jf 1594
(1502) unimp    0x7d             jt 1612	jf 1598
(1503) unimp    0x7d             jt 1614	jf 1602
(1504) unimp    0x7d             jt 1616	jf 1606
(1505) unimp    0x7d             jt 1618	jf 1610
(1506) unimp    0x7d             jt 1620	jf 1614
(1507) unimp    0x7d             jt 1622	jf 1618
(1508) unimp    0x7d             jt 1624	jf 1622
(1509) unimp    0x7d             jt 1626	jf 1626
(1510) unimp    0x7d             jt 1628	jf 1630
(1511) unimp    0x7d             jt 1630	jf 1634
(1512) unimp    0x7e
(1513) unimp    0x7e
(1514) unimp    0x7e
(1515) unimp    0x7e
(1516) unimp    0x7e
(1517) unimp    0x7e
(1518) unimp    0x7e
(1519) unimp    0x7e
(1520) unimp    0x7e
(1521) unimp    0x7e
(1522) unimp    0x7e
(1523) unimp    0x7e
(1524) unimp    0x7f
(1525) unimp    0x7f
(1526) unimp    0x7f
(1527) unimp    0x7f
(1528) unimp    0x7f
(1529) unimp    0x7f
(1530) unimp    0x7f
(1531) unimp    0x7f
(1532) unimp    0x7f
(1533) unimp    0x7f
(1534) unimp    0x7f
(1535) unimp    0x7f
(1536) ld       #pktlen
(1537) ld       #pktlen
(1538) ld       #pktlen
(1539) ld       #pktlen
(1540) ld       #pktlen
(1541) ld       #pktlen
(1542) ld       #pktlen
(1543) ld       #pktlen
(1544) ld       #pktlen
(1545) ld       #pktlen
(1546) ld       #pktlen
(1547) ld       #pktlen
(1548) unimp    0x81
(1549) unimp    0x81
(1550) unimp    0x81
(1551) unimp    0x81
(1552) unimp    0x81
(1553) unimp    0x81
(1554) unimp    0x81
(1555) unimp    0x81
(1556) unimp    0x81
(1557) unimp    0x81
(1558) unimp    0x81
(1559) unimp    0x81
(1560) unimp    0x82
(1561) unimp    0x82
(1562) unimp    0x82
(1563) unimp    0x82
(1564) unimp    0x82
(1565) unimp    0x82
(1566) unimp    0x82
(1567) unimp    0x82
(1568) unimp    0x82
(1569) unimp    0x82
(1570) unimp    0x82
(1571) unimp    0x82
(1572) unimp    0x83
(1573) unimp    0x83
(1574) unimp    0x83
(1575) unimp    0x83
(1576) unimp    0x83
(1577) unimp    0x83
(1578) unimp    0x83
(1579) unimp    0x83
(1580) unimp    0x83
(1581) unimp    0x83
(1582) unimp    0x83
(1583) unimp    0x83
(1584) neg      
(1585) neg      
(1586) neg      
(1587) neg      
(1588) neg      
(1589) neg      
(1590) neg      
(1591) neg      
(1592) neg      
(1593) neg      
(1594) neg      
(1595) neg      
(1596) unimp    0x85             jt 1760	jf 1790
(1597) unimp    0x85             jt 1762	jf 1794
(1598) unimp    0x85             jt 1764	jf 1798
(1599) unimp    0x85             jt 1766	jf 1802
(1600) unimp    0x85             jt 1768	jf 1806
(1601) unimp    0x85             jt 1770	jf 1810
(1602) unimp    0x85             jt 1772	jf 1814
(1603) unimp    0x85             jt 1774	jf 1818
(1604) unimp    0x85             jt 1776	jf 1822
(1605) unimp    0x85             jt 1778	jf 1826
(1606) unimp    0x85             jt 1780	jf 1830
(1607) unimp    0x85             jt 1782	jf 1834
(1608) unimp    0x86
(1609) unimp    0x86
(1610) unimp    0x86
(1611) unimp    0x86
(1612) unimp    0x86
(1613) unimp    0x86
(1614) unimp    0x86
(1615) unimp    0x86
(1616) unimp    0x86
(1617) unimp    0x86
(1618) unimp    0x86
(1619) unimp    0x86
(1620) txa      
(1621) txa      
(1622) txa      
(1623) txa      
(1624) txa      
(1625) txa      
(1626) txa      
(1627) txa      
(1628) txa      
(1629) txa      
(1630) txa      
(1631) txa      
(1632) unimp    0x88
(1633) unimp    0x88
(1634) unimp    0x88
(1635) unimp    0x88
(1636) unimp    0x88
(1637) unimp    0x88
(1638) unimp    0x88
(1639) unimp    0x88
(1640) unimp    0x88
(1641) unimp    0x88
(1642) unimp    0x88
(1643) unimp    0x88
(1644) unimp    0x89
(1645) unimp    0x89
(1646) unimp    0x89
(1647) unimp    0x89
(1648) unimp    0x89
(1649) unimp    0x89
(1650) unimp    0x89
(1651) unimp    0x89
(1652) unimp    0x89
(1653) unimp    0x89
(1654) unimp    0x89
(1655) unimp    0x89
(1656) unimp    0x8a
(1657) unimp    0x8a
(1658) unimp    0x8a
(1659) unimp    0x8a
(1660) unimp    0x8a
(1661) unimp    0x8a
(1662) unimp    0x8a
(1663) unimp    0x8a
(1664) unimp    0x8a
(1665) unimp    0x8a
(1666) unimp    0x8a
(1667) unimp    0x8a
(1668) unimp    0x8b
(1669) unimp    0x8b
(1670) unimp    0x8b
(1671) unimp    0x8b
(1672) unimp    0x8b
(1673) unimp    0x8b
(1674) unimp    0x8b
(1675) unimp    0x8b
(1676) unimp    0x8b
(1677) unimp    0x8b
(1678) unimp    0x8b
(1679) unimp    0x8b
(1680) unimp    0x8c
(1681) unimp    0x8c
(1682) unimp    0x8c
(1683) unimp    0x8c
(1684) unimp    0x8c
(1685) unimp    0x8c
(1686) unimp    0x8c
(1687) unimp    0x8c
(1688) unimp    0x8c
(1689) unimp    0x8c
(1690) unimp    0x8c
(1691) unimp    0x8c
(1692) unimp    0x8d             jt 1912	jf 1734
(1693) unimp    0x8d             jt 1914	jf 1738
(1694) unimp    0x8d             jt 1916	jf 1742
(1695) unimp    0x8d             jt 1918	jf 1746
(1696) unimp    0x8d             jt 1920	jf 1750
(1697) unimp    0x8d             jt 1922	jf 1754
(1698) unimp    0x8d             jt 1924	jf 1758
(1699) unimp    0x8d             jt 1926	jf 1762
(1700) unimp    0x8d             jt 1928	jf 1766
(1701) unimp    0x8d             jt 1930	jf 1770
(1702) unimp    0x8d             jt 1932	jf 1774
(1703) unimp    0x8d             jt 1934	jf 1778
(1704) unimp    0x8e
(1705) unimp    0x8e
(1706) unimp    0x8e
(1707) unimp    0x8e
(1708) unimp    0x8e
(1709) unimp    0x8e
(1710) unimp    0x8e
(1711) unimp    0x8e
(1712) unimp    0x8e
(1713) unimp    0x8e
(1714) unimp    0x8e
(1715) unimp    0x8e
(1716) unimp    0x8f
(1717) unimp    0x8f
(1718) unimp    0x8f
(1719) unimp    0x8f
(1720) unimp    0x8f
(1721) unimp    0x8f
(1722) unimp    0x8f
(1723) unimp    0x8f
(1724) unimp    0x8f
(1725) unimp    0x8f
(1726) unimp    0x8f
(1727) unimp    0x8f
(1728) unimp    0x90
(1729) unimp    0x90
(1730) unimp    0x90
(1731) unimp    0x90
(1732) unimp    0x90
(1733) unimp    0x90
(1734) unimp    0x90
(1735) unimp    0x90
(1736) unimp    0x90
(1737) unimp    0x90
(1738) unimp    0x90
(1739) unimp    0x90
(1740) unimp    0x91
(1741) unimp    0x91
(1742) unimp    0x91
(1743) unimp    0x91
(1744) unimp    0x91
(1745) unimp    0x91
(1746) unimp    0x91
(1747) unimp    0x91
(1748) unimp    0x91
(1749) unimp    0x91
(1750) unimp    0x91
(1751) unimp    0x91
(1752) unimp    0x92
(1753) unimp    0x92
(1754) unimp    0x92
(1755) unimp    0x92
(1756) unimp    0x92
(1757) unimp    0x92
(1758) unimp    0x92
(1759) unimp    0x92
(1760) unimp    0x92
(1761) unimp    0x92
(1762) unimp    0x92
(1763) unimp    0x92
(1764) unimp    0x93
(1765) unimp    0x93
(1766) unimp    0x93
(1767) unimp    0x93
(1768) unimp    0x93
(1769) unimp    0x93
(1770) unimp    0x93
(1771) unimp    0x93
(1772) unimp    0x93
(1773) unimp    0x93
(1774) unimp    0x93
(1775) unimp    0x93
(1776) mod      #0
(1777) mod      #1
(1778) mod      #14
(1779) mod      #2048
(1780) mod      #2147483647
(1781) mod      #-2147483648
(1782) mod      #-1
(1783) mod      #-4096
(1784) mod      #-4048
(1785) mod      #-4036
(1786) mod      #-4032
(1787) mod      #-4094
(1788) unimp    0x95             jt 1808	jf 1934
(1789) unimp    0x95             jt 1810	jf 1938
(1790) unimp    0x95             jt 1812	jf 1942
(1791) unimp    0x95             jt 1814	jf 1946
(1792) unimp    0x95             jt 1816	jf 1950
(1793) unimp    0x95             jt 1818	jf 1954
(1794) unimp    0x95             jt 1820	jf 1958
(1795) unimp    0x95             jt 1822	jf 1962
(1796) unimp    0x95             jt 1824	jf 1966
(1797) unimp    0x95             jt 1826	jf 1970
(1798) unimp    0x95             jt 1828	jf 1974
(1799) unimp    0x95             jt 1830	jf 1978
(1800) unimp    0x96
(1801) unimp    0x96
(1802) unimp    0x96
(1803) unimp    0x96
(1804) unimp    0x96
(1805) unimp    0x96
(1806) unimp    0x96
(1807) unimp    0x96
(1808) unimp    0x96
(1809) unimp    0x96
(1810) unimp    0x96
(1811) unimp    0x96
(1812) unimp    0x97
(1813) unimp    0x97
(1814) unimp    0x97
(1815) unimp    0x97
(1816) unimp    0x97
(1817) unimp    0x97
(1818) unimp    0x97
(1819) unimp    0x97
(1820) unimp    0x97
(1821) unimp    0x97
(1822) unimp    0x97
(1823) unimp    0x97
(1824) unimp    0x98
(1825) unimp    0x98
(1826) unimp    0x98
(1827) unimp    0x98
(1828) unimp    0x98
(1829) unimp    0x98
(1830) unimp    0x98
(1831) unimp    0x98
(1832) unimp    0x98
(1833) unimp    0x98
(1834) unimp    0x98
(1835) unimp    0x98
(1836) unimp    0x99
(1837) unimp    0x99
(1838) unimp    0x99
(1839) unimp    0x99
(1840) unimp    0x99
(1841) unimp    0x99
(1842) unimp    0x99
(1843) unimp    0x99
(1844) unimp    0x99
(1845) unimp    0x99
(1846) unimp    0x99
(1847) unimp    0x99
(1848) unimp    0x9a
(1849) unimp    0x9a
(1850) unimp    0x9a
(1851) unimp    0x9a
(1852) unimp    0x9a
(1853) unimp    0x9a
(1854) unimp    0x9a
(1855) unimp    0x9a
(1856) unimp    0x9a
(1857) unimp    0x9a
(1858) unimp    0x9a
(1859) unimp    0x9a
(1860) unimp    0x9b
(1861) unimp    0x9b
(1862) unimp    0x9b
(1863) unimp    0x9b
(1864) unimp    0x9b
(1865) unimp    0x9b
(1866) unimp    0x9b
(1867) unimp    0x9b
(1868) unimp    0x9b
(1869) unimp    0x9b
(1870) unimp    0x9b
(1871) unimp    0x9b
(1872) mod      x
(1873) mod      x
(1874) mod      x
(1875) mod      x
(1876) mod      x
(1877) mod      x
(1878) mod      x
(1879) mod      x
(1880) mod      x
(1881) mod      x
(1882) mod      x
(1883) mod      x
(1884) unimp    0x9d             jt 1960	jf 2134
(1885) unimp    0x9d             jt 1962	jf 2138
(1886) unimp    0x9d             jt 1964	jf 2142
(1887) unimp    0x9d             jt 1966	jf 1890
(1888) unimp    0x9d             jt 1968	jf 1894
(1889) unimp    0x9d             jt 1970	jf 1898
(1890) unimp    0x9d             jt 1972	jf 1902
(1891) unimp    0x9d             jt 1974	jf 1906
(1892) unimp    0x9d             jt 1976	jf 1910
(1893) unimp    0x9d             jt 1978	jf 1914
(1894) unimp    0x9d             jt 1980	jf 1918
(1895) unimp    0x9d             jt 1982	jf 1922
(1896) unimp    0x9e
(1897) unimp    0x9e
(1898) unimp    0x9e
(1899) unimp    0x9e
(1900) unimp    0x9e
(1901) unimp    0x9e
(1902) unimp    0x9e
(1903) unimp    0x9e
(1904) unimp    0x9e
(1905) unimp    0x9e
(1906) unimp    0x9e
(1907) unimp    0x9e
(1908) unimp    0x9f
(1909) unimp    0x9f
(1910) unimp    0x9f
(1911) unimp    0x9f
(1912) unimp    0x9f
(1913) unimp    0x9f
(1914) unimp    0x9f
(1915) unimp    0x9f
(1916) unimp    0x9f
(1917) unimp    0x9f
(1918) unimp    0x9f
(1919) unimp    0x9f
(1920) unimp    0xa0
(1921) unimp    0xa0
(1922) unimp    0xa0
(1923) unimp    0xa0
(1924) unimp    0xa0
(1925) unimp    0xa0
(1926) unimp    0xa0
(1927) unimp    0xa0
(1928) unimp    0xa0
(1929) unimp    0xa0
(1930) unimp    0xa0
(1931) unimp    0xa0
(1932) unimp    0xa1
(1933) unimp    0xa1
(1934) unimp    0xa1
(1935) unimp    0xa1
(1936) unimp    0xa1
(1937) unimp    0xa1
(1938) unimp    0xa1
(1939) unimp    0xa1
(1940) unimp    0xa1
(1941) unimp    0xa1
(1942) unimp    0xa1
(1943) unimp    0xa1
(1944) unimp    0xa2
(1945) unimp    0xa2
(1946) unimp    0xa2
(1947) unimp    0xa2
(1948) unimp    0xa2
(1949) unimp    0xa2
(1950) unimp    0xa2
(1951) unimp    0xa2
(1952) unimp    0xa2
(1953) unimp    0xa2
(1954) unimp    0xa2
(1955) unimp    0xa2
(1956) unimp    0xa3
(1957) unimp    0xa3
(1958) unimp    0xa3
(1959) unimp    0xa3
(1960) unimp    0xa3
(1961) unimp    0xa3
(1962) unimp    0xa3
(1963) unimp    0xa3
(1964) unimp    0xa3
(1965) unimp    0xa3
(1966) unimp    0xa3
(1967) unimp    0xa3
(1968) xor      #0x0
(1969) xor      #0x1
(1970) xor      #0xe
(1971) xor      #0x800
(1972) xor      #0x7fffffff
(1973) xor      #0x80000000
(1974) xor      #0xffffffff
(1975) xor      #0xfffff000
(1976) xor      #0xfffff030
(1977) xor      #0xfffff03c
(1978) xor      #0xfffff040
(1979) xor      #0xfffff002
(1980) unimp    0xa5             jt 2112	jf 2078
(1981) unimp    0xa5             jt 2114	jf 2082
(1982) unimp    0xa5             jt 2116	jf 2086
(1983) unimp    0xa5             jt 2118	jf 2090
(1984) unimp    0xa5             jt 2120	jf 2094
(1985) unimp    0xa5             jt 2122	jf 2098
(1986) unimp    0xa5             jt 2124	jf 2102
(1987) unimp    0xa5             jt 2126	jf 2106
(1988) unimp    0xa5             jt 2128	jf 2110
(1989) unimp    0xa5             jt 2130	jf 2114
(1990) unimp    0xa5             jt 2132	jf 2118
(1991) unimp    0xa5             jt 2134	jf 2122
(1992) unimp    0xa6
(1993) unimp    0xa6
(1994) unimp    0xa6
(1995) unimp    0xa6
(1996) unimp    0xa6
(1997) unimp    0xa6
(1998) unimp    0xa6
(1999) unimp    0xa6
(2000) unimp    0xa6
(2001) unimp    0xa6
(2002) unimp    0xa6
(2003) unimp    0xa6
(2004) unimp    0xa7
(2005) unimp    0xa7
(2006) unimp    0xa7
(2007) unimp    0xa7
(2008) unimp    0xa7
(2009) unimp    0xa7
(2010) unimp    0xa7
(2011) unimp    0xa7
(2012) unimp    0xa7
(2013) unimp    0xa7
(2014) unimp    0xa7
(2015) unimp    0xa7
(2016) unimp    0xa8
(2017) unimp    0xa8
(2018) unimp    0xa8
(2019) unimp    0xa8
(2020) unimp    0xa8
(2021) unimp    0xa8
(2022) unimp    0xa8
(2023) unimp    0xa8
(2024) unimp    0xa8
(2025) unimp    0xa8
(2026) unimp    0xa8
(2027) unimp    0xa8
(2028) unimp    0xa9
(2029) unimp    0xa9
(2030) unimp    0xa9
(2031) unimp    0xa9
(2032) unimp    0xa9
(2033) unimp    0xa9
(2034) unimp    0xa9
(2035) unimp    0xa9
(2036) unimp    0xa9
(2037) unimp    0xa9
(2038) unimp    0xa9
(2039) unimp    0xa9
(2040) unimp    0xaa
(2041) unimp    0xaa
(2042) unimp    0xaa
(2043) unimp    0xaa
(2044) unimp    0xaa
(2045) unimp    0xaa
(2046) unimp    0xaa
(2047) unimp    0xaa
(2048) unimp    0xaa
(2049) unimp    0xaa
(2050) unimp    0xaa
(2051) unimp    0xaa
(2052) unimp    0xab
(2053) unimp    0xab
(2054) unimp    0xab
(2055) unimp    0xab
(2056) unimp    0xab
(2057) unimp    0xab
(2058) unimp    0xab
(2059) unimp    0xab
(2060) unimp    0xab
(2061) unimp    0xab
(2062) unimp    0xab
(2063) unimp    0xab
(2064) xor      x
(2065) xor      x
(2066) xor      x
(2067) xor      x
(2068) xor      x
(2069) xor      x
(2070) xor      x
(2071) xor      x
(2072) xor      x
(2073) xor      x
(2074) xor      x
(2075) xor      x
(2076) unimp    0xad             jt 2264	jf 2278
(2077) unimp    0xad             jt 2266	jf 2282
(2078) unimp    0xad             jt 2268	jf 2286
(2079) unimp    0xad             jt 2270	jf 2290
(2080) unimp    0xad             jt 2272	jf 2294
(2081) unimp    0xad             jt 2274	jf 2298
(2082) unimp    0xad             jt 2276	jf 2302
(2083) unimp    0xad             jt 2278	jf 2306
(2084) unimp    0xad             jt 2280	jf 2310
(2085) unimp    0xad             jt 2282	jf 2314
(2086) unimp    0xad             jt 2284	jf 2318
(2087) unimp    0xad             jt 2286	jf 2322
(2088) unimp    0xae
(2089) unimp    0xae
(2090) unimp    0xae
(2091) unimp    0xae
(2092) unimp    0xae
(2093) unimp    0xae
(2094) unimp    0xae
(2095) unimp    0xae
(2096) unimp    0xae
(2097) unimp    0xae
(2098) unimp    0xae
(2099) unimp    0xae
(2100) unimp    0xaf
(2101) unimp    0xaf
(2102) unimp    0xaf
(2103) unimp    0xaf
(2104) unimp    0xaf
(2105) unimp    0xaf
(2106) unimp    0xaf
(2107) unimp    0xaf
(2108) unimp    0xaf
(2109) unimp    0xaf
(2110) unimp    0xaf
(2111) unimp    0xaf
(2112) unimp    0xb0
(2113) unimp    0xb0
(2114) unimp    0xb0
(2115) unimp    0xb0
(2116) unimp    0xb0
(2117) unimp    0xb0
(2118) unimp    0xb0
(2119) unimp    0xb0
(2120) unimp    0xb0
(2121) unimp    0xb0
(2122) unimp    0xb0
(2123) unimp    0xb0
(2124) ldxb     4*([0]&0xf)
(2125) ldxb     4*([1]&0xf)
(2126) ldxb     4*([14]&0xf)
(2127) ldxb     4*([2048]&0xf)
(2128) ldxb     4*([2147483647]&0xf)
(2129) ldxb     4*([-2147483648]&0xf)
(2130) ldxb     4*([-1]&0xf)
(2131) ldxb     4*([-4096]&0xf)
(2132) ldxb     4*([-4048]&0xf)
(2133) ldxb     4*([-4036]&0xf)
(2134) ldxb     4*([-4032]&0xf)
(2135) ldxb     4*([-4094]&0xf)
(2136) unimp    0xb2
(2137) unimp    0xb2
(2138) unimp    0xb2
(2139) unimp    0xb2
(2140) unimp    0xb2
(2141) unimp    0xb2
(2142) unimp    0xb2
(2143) unimp    0xb2
(2144) unimp    0xb2
(2145) unimp    0xb2
(2146) unimp    0xb2
(2147) unimp    0xb2
(2148) unimp    0xb3
(2149) unimp    0xb3
(2150) unimp    0xb3
(2151) unimp    0xb3
(2152) unimp    0xb3
(2153) unimp    0xb3
(2154) unimp    0xb3
(2155) unimp    0xb3
(2156) unimp    0xb3
(2157) unimp    0xb3
(2158) unimp    0xb3
(2159) unimp    0xb3
(2160) unimp    0xb4
(2161) unimp    0xb4
(2162) unimp    0xb4
(2163) unimp    0xb4
(2164) unimp    0xb4
(2165) unimp    0xb4
(2166) unimp    0xb4
(2167) unimp    0xb4
(2168) unimp    0xb4
(2169) unimp    0xb4
(2170) unimp    0xb4
(2171) unimp    0xb4
(2172) unimp    0xb5             jt 2416	jf 2222
(2173) unimp    0xb5             jt 2418	jf 2226
(2174) unimp    0xb5             jt 2420	jf 2230
(2175) unimp    0xb5             jt 2422	jf 2234
(2176) unimp    0xb5             jt 2424	jf 2238
(2177) unimp    0xb5             jt 2426	jf 2242
(2178) unimp    0xb5             jt 2428	jf 2246
(2179) unimp    0xb5             jt 2430	jf 2250
(2180) unimp    0xb5             jt 2432	jf 2254
(2181) unimp    0xb5             jt 2434	jf 2258
(2182) unimp    0xb5             jt 2436	jf 2262
(2183) unimp    0xb5             jt 2438	jf 2266
(2184) unimp    0xb6
(2185) unimp    0xb6
(2186) unimp    0xb6
(2187) unimp    0xb6
(2188) unimp    0xb6
(2189) unimp    0xb6
(2190) unimp    0xb6
(2191) unimp    0xb6
(2192) unimp    0xb6
(2193) unimp    0xb6
(2194) unimp    0xb6
(2195) unimp    0xb6
(2196) unimp    0xb7
(2197) unimp    0xb7
(2198) unimp    0xb7
(2199) unimp    0xb7
(2200) unimp    0xb7
(2201) unimp    0xb7
(2202) unimp    0xb7
(2203) unimp    0xb7
(2204) unimp    0xb7
(2205) unimp    0xb7
(2206) unimp    0xb7
(2207) unimp    0xb7
(2208) unimp    0xb8
(2209) unimp    0xb8
(2210) unimp    0xb8
(2211) unimp    0xb8
(2212) unimp    0xb8
(2213) unimp    0xb8
(2214) unimp    0xb8
(2215) unimp    0xb8
(2216) unimp    0xb8
(2217) unimp    0xb8
(2218) unimp    0xb8
(2219) unimp    0xb8
(2220) unimp    0xb9
(2221) unimp    0xb9
(2222) unimp    0xb9
(2223) unimp    0xb9
(2224) unimp    0xb9
(2225) unimp    0xb9
(2226) unimp    0xb9
(2227) unimp    0xb9
(2228) unimp    0xb9
(2229) unimp    0xb9
(2230) unimp    0xb9
(2231) unimp    0xb9
(2232) unimp    0xba
(2233) unimp    0xba
(2234) unimp    0xba
(2235) unimp    0xba
(2236) unimp    0xba
(2237) unimp    0xba
(2238) unimp    0xba
(2239) unimp    0xba
(2240) unimp    0xba
(2241) unimp    0xba
(2242) unimp    0xba
(2243) unimp    0xba
(2244) unimp    0xbb
(2245) unimp    0xbb
(2246) unimp    0xbb
(2247) unimp    0xbb
(2248) unimp    0xbb
(2249) unimp    0xbb
(2250) unimp    0xbb
(2251) unimp    0xbb
(2252) unimp    0xbb
(2253) unimp    0xbb
(2254) unimp    0xbb
(2255) unimp    0xbb
(2256) unimp    0xbc
(2257) unimp    0xbc
(2258) unimp    0xbc
(2259) unimp    0xbc
(2260) unimp    0xbc
(2261) unimp    0xbc
(2262) unimp    0xbc
(2263) unimp    0xbc
(2264) unimp    0xbc
(2265) unimp    0xbc
(2266) unimp    0xbc
(2267) unimp    0xbc
(2268) unimp    0xbd             jt 2312	jf 2422
(2269) unimp    0xbd             jt 2314	jf 2426
(2270) unimp    0xbd             jt 2316	jf 2430
(2271) unimp    0xbd             jt 2318	jf 2434
(2272) unimp    0xbd             jt 2320	jf 2438
(2273) unimp    0xbd             jt 2322	jf 2442
(2274) unimp    0xbd             jt 2324	jf 2446
(2275) unimp    0xbd             jt 2326	jf 2450
(2276) unimp    0xbd             jt 2328	jf 2454
(2277) unimp    0xbd             jt 2330	jf 2458
(2278) unimp    0xbd             jt 2332	jf 2462
(2279) unimp    0xbd             jt 2334	jf 2466
(2280) unimp    0xbe
(2281) unimp    0xbe
(2282) unimp    0xbe
(2283) unimp    0xbe
(2284) unimp    0xbe
(2285) unimp    0xbe
(2286) unimp    0xbe
(2287) unimp    0xbe
(2288) unimp    0xbe
(2289) unimp    0xbe
(2290) unimp    0xbe
(2291) unimp    0xbe
(2292) unimp    0xbf
(2293) unimp    0xbf
(2294) unimp    0xbf
(2295) unimp    0xbf
(2296) unimp    0xbf
(2297) unimp    0xbf
(2298) unimp    0xbf
(2299) unimp    0xbf
(2300) unimp    0xbf
(2301) unimp    0xbf
(2302) unimp    0xbf
(2303) unimp    0xbf
(2304) unimp    0xc0
(2305) unimp    0xc0
(2306) unimp    0xc0
(2307) unimp    0xc0
(2308) unimp    0xc0
(2309) unimp    0xc0
(2310) unimp    0xc0
(2311) unimp    0xc0
(2312) unimp    0xc0
(2313) unimp    0xc0
(2314) unimp    0xc0
(2315) unimp    0xc0
(2316) unimp    0xc1
(2317) unimp    0xc1
(2318) unimp    0xc1
(2319) unimp    0xc1
(2320) unimp    0xc1
(2321) unimp    0xc1
(2322) unimp    0xc1
(2323) unimp    0xc1
(2324) unimp    0xc1
(2325) unimp    0xc1
(2326) unimp    0xc1
(2327) unimp    0xc1
(2328) unimp    0xc2
(2329) unimp    0xc2
(2330) unimp    0xc2
(2331) unimp    0xc2
(2332) unimp    0xc2
(2333) unimp    0xc2
(2334) unimp    0xc2
(2335) unimp    0xc2
(2336) unimp    0xc2
(2337) unimp    0xc2
(2338) unimp    0xc2
(2339) unimp    0xc2
(2340) unimp    0xc3
(2341) unimp    0xc3
(2342) unimp    0xc3
(2343) unimp    0xc3
(2344) unimp    0xc3
(2345) unimp    0xc3
(2346) unimp    0xc3
(2347) unimp    0xc3
(2348) unimp    0xc3
(2349) unimp    0xc3
(2350) unimp    0xc3
(2351) unimp    0xc3
(2352) unimp    0xc4
(2353) unimp    0xc4
(2354) unimp    0xc4
(2355) unimp    0xc4
(2356) unimp    0xc4
(2357) unimp    0xc4
(2358) unimp    0xc4
(2359) unimp    0xc4
(2360) unimp    0xc4
(2361) unimp    0xc4
(2362) unimp    0xc4
(2363) unimp    0xc4
(2364) unimp    0xc5             jt 2464	jf 2366
(2365) unimp    0xc5             jt 2466	jf 2370
(2366) unimp    0xc5             jt 2468	jf 2374
(2367) unimp    0xc5             jt 2470	jf 2378
(2368) unimp    0xc5             jt 2472	jf 2382
(2369) unimp    0xc5             jt 2474	jf 2386
(2370) unimp    0xc5             jt 2476	jf 2390
(2371) unimp    0xc5             jt 2478	jf 2394
(2372) unimp    0xc5             jt 2480	jf 2398
(2373) unimp    0xc5             jt 2482	jf 2402
(2374) unimp    0xc5             jt 2484	jf 2406
(2375) unimp    0xc5             jt 2486	jf 2410
(2376) unimp    0xc6
(2377) unimp    0xc6
(2378) unimp    0xc6
(2379) unimp    0xc6
(2380) unimp    0xc6
(2381) unimp    0xc6
(2382) unimp    0xc6
(2383) unimp    0xc6
(2384) unimp    0xc6
(2385) unimp    0xc6
(2386) unimp    0xc6
(2387) unimp    0xc6
(2388) unimp    0xc7
(2389) unimp    0xc7
(2390) unimp    0xc7
(2391) unimp    0xc7
(2392) unimp    0xc7
(2393) unimp    0xc7
(2394) unimp    0xc7
(2395) unimp    0xc7
(2396) unimp    0xc7
(2397) unimp    0xc7
(2398) unimp    0xc7
(2399) unimp    0xc7
(2400) unimp    0xc8
(2401) unimp    0xc8
(2402) unimp    0xc8
(2403) unimp    0xc8
(2404) unimp    0xc8
(2405) unimp    0xc8
(2406) unimp    0xc8
(2407) unimp    0xc8
(2408) unimp    0xc8
(2409) unimp    0xc8
(2410) unimp    0xc8
(2411) unimp    0xc8
(2412) unimp    0xc9
(2413) unimp    0xc9
(2414) unimp    0xc9
(2415) unimp    0xc9
(2416) unimp    0xc9
(2417) unimp    0xc9
(2418) unimp    0xc9
(2419) unimp    0xc9
(2420) unimp    0xc9
(2421) unimp    0xc9
(2422) unimp    0xc9
(2423) unimp    0xc9
(2424) unimp    0xca
(2425) unimp    0xca
(2426) unimp    0xca
(2427) unimp    0xca
(2428) unimp    0xca
(2429) unimp    0xca
(2430) unimp    0xca
(2431) unimp    0xca
(2432) unimp    0xca
(2433) unimp    0xca
(2434) unimp    0xca
(2435) unimp    0xca
(2436) unimp    0xcb
(2437) unimp    0xcb
(2438) unimp    0xcb
(2439) unimp    0xcb
(2440) unimp    0xcb
(2441) unimp    0xcb
(2442) unimp    0xcb
(2443) unimp    0xcb
(2444) unimp    0xcb
(2445) unimp    0xcb
(2446) unimp    0xcb
(2447) unimp    0xcb
(2448) unimp    0xcc
(2449) unimp    0xcc
(2450) unimp    0xcc
(2451) unimp    0xcc
(2452) unimp    0xcc
(2453) unimp    0xcc
(2454) unimp    0xcc
(2455) unimp    0xcc
(2456) unimp    0xcc
(2457) unimp    0xcc
(2458) unimp    0xcc
(2459) unimp    0xcc
(2460) unimp    0xcd             jt 2616	jf 2566
(2461) unimp    0xcd             jt 2618	jf 2570
(2462) unimp    0xcd             jt 2620	jf 2574
(2463) unimp    0xcd             jt 2622	jf 2578
(2464) unimp    0xcd             jt 2624	jf 2582
(2465) unimp    0xcd             jt 2626	jf 2586
(2466) unimp    0xcd             jt 2628	jf 2590
(2467) unimp    0xcd             jt 2630	jf 2594
(2468) unimp    0xcd             jt 2632	jf 2598
(2469) unimp    0xcd             jt 2634	jf 2602
(2470) unimp    0xcd             jt 2636	jf 2606
(2471) unimp    0xcd             jt 2638	jf 2610
(2472) unimp    0xce
(2473) unimp    0xce
(2474) unimp    0xce
(2475) unimp    0xce
(2476) unimp    0xce
(2477) unimp    0xce
(2478) unimp    0xce
(2479) unimp    0xce
(2480) unimp    0xce
(2481) unimp    0xce
(2482) unimp    0xce
(2483) unimp    0xce
(2484) unimp    0xcf
(2485) unimp    0xcf
(2486) unimp    0xcf
(2487) unimp    0xcf
(2488) unimp    0xcf
(2489) unimp    0xcf
(2490) unimp    0xcf
(2491) unimp    0xcf
(2492) unimp    0xcf
(2493) unimp    0xcf
(2494) unimp    0xcf
(2495) unimp    0xcf
(2496) unimp    0xd0
(2497) unimp    0xd0
(2498) unimp    0xd0
(2499) unimp    0xd0
(2500) unimp    0xd0
(2501) unimp    0xd0
(2502) unimp    0xd0
(2503) unimp    0xd0
(2504) unimp    0xd0
(2505) unimp    0xd0
(2506) unimp    0xd0
(2507) unimp    0xd0
(2508) unimp    0xd1
(2509) unimp    0xd1
(2510) unimp    0xd1
(2511) unimp    0xd1
(2512) unimp    0xd1
(2513) unimp    0xd1
(2514) unimp    0xd1
(2515) unimp    0xd1
(2516) unimp    0xd1
(2517) unimp    0xd1
(2518) unimp    0xd1
(2519) unimp    0xd1
(2520) unimp    0xd2
(2521) unimp    0xd2
(2522) unimp    0xd2
(2523) unimp    0xd2
(2524) unimp    0xd2
(2525) unimp    0xd2
(2526) unimp    0xd2
(2527) unimp    0xd2
(2528) unimp    0xd2
(2529) unimp    0xd2
(2530) unimp    0xd2
(2531) unimp    0xd2
(2532) unimp    0xd3
(2533) unimp    0xd3
(2534) unimp    0xd3
(2535) unimp    0xd3
(2536) unimp    0xd3
(2537) unimp    0xd3
(2538) unimp    0xd3
(2539) unimp    0xd3
(2540) unimp    0xd3
(2541) unimp    0xd3
(2542) unimp    0xd3
(2543) unimp    0xd3
(2544) unimp    0xd4
(2545) unimp    0xd4
(2546) unimp    0xd4
(2547) unimp    0xd4
(2548) unimp    0xd4
(2549) unimp    0xd4
(2550) unimp    0xd4
(2551) unimp    0xd4
(2552) unimp    0xd4
(2553) unimp    0xd4
(2554) unimp    0xd4
(2555) unimp    0xd4
(2556) unimp    0xd5             jt 2768	jf 2766
(2557) unimp    0xd5             jt 2770	jf 2770
(2558) unimp    0xd5             jt 2772	jf 2774
(2559) unimp    0xd5             jt 2774	jf 2778
(2560) unimp    0xd5             jt 2776	jf 2782
(2561) unimp    0xd5             jt 2778	jf 2786
(2562) unimp    0xd5             jt 2780	jf 2790
(2563) unimp    0xd5             jt 2782	jf 2794
(2564) unimp    0xd5             jt 2784	jf 2798
(2565) unimp    0xd5             jt 2786	jf 2802
(2566) unimp    0xd5             jt 2788	jf 2806
(2567) unimp    0xd5             jt 2790	jf 2810
(2568) unimp    0xd6
(2569) unimp    0xd6
(2570) unimp    0xd6
(2571) unimp    0xd6
(2572) unimp    0xd6
(2573) unimp    0xd6
(2574) unimp    0xd6
(2575) unimp    0xd6
(2576) unimp    0xd6
(2577) unimp    0xd6
(2578) unimp    0xd6
(2579) unimp    0xd6
(2580) unimp    0xd7
(2581) unimp    0xd7
(2582) unimp    0xd7
(2583) unimp    0xd7
(2584) unimp    0xd7
(2585) unimp    0xd7
(2586) unimp    0xd7
(2587) unimp    0xd7
(2588) unimp    0xd7
(2589) unimp    0xd7
(2590) unimp    0xd7
(2591) unimp    0xd7
(2592) unimp    0xd8
(2593) unimp    0xd8
(2594) unimp    0xd8
(2595) unimp    0xd8
(2596) unimp    0xd8
(2597) unimp    0xd8
(2598) unimp    0xd8
(2599) unimp    0xd8
(2600) unimp    0xd8
(2601) unimp    0xd8
(2602) unimp    0xd8
(2603) unimp    0xd8
(2604) unimp    0xd9
(2605) unimp    0xd9
(2606) unimp    0xd9
(2607) unimp    0xd9
(2608) unimp    0xd9
(2609) unimp    0xd9
(2610) unimp    0xd9
(2611) unimp    0xd9
(2612) unimp    0xd9
(2613) unimp    0xd9
(2614) unimp    0xd9
(2615) unimp    0xd9
(2616) unimp    0xda
(2617) unimp    0xda
(2618) unimp    0xda
(2619) unimp    0xda
(2620) unimp    0xda
(2621) unimp    0xda
(2622) unimp    0xda
(2623) unimp    0xda
(2624) unimp    0xda
(2625) unimp    0xda
(2626) unimp    0xda
(2627) unimp    0xda
(2628) unimp    0xdb
(2629) unimp    0xdb
(2630) unimp    0xdb
(2631) unimp    0xdb
(2632) unimp    0xdb
(2633) unimp    0xdb
(2634) unimp    0xdb
(2635) unimp    0xdb
(2636) unimp    0xdb
(2637) unimp    0xdb
(2638) unimp    0xdb
(2639) unimp    0xdb
(2640) unimp    0xdc
(2641) unimp    0xdc
(2642) unimp    0xdc
(2643) unimp    0xdc
(2644) unimp    0xdc
(2645) unimp    0xdc
(2646) unimp    0xdc
(2647) unimp    0xdc
(2648) unimp    0xdc
(2649) unimp    0xdc
(2650) unimp    0xdc
(2651) unimp    0xdc
(2652) unimp    0xdd             jt 2664	jf 2710
(2653) unimp    0xdd             jt 2666	jf 2714
(2654) unimp    0xdd             jt 2668	jf 2718
(2655) unimp    0xdd             jt 2670	jf 2722
(2656) unimp    0xdd             jt 2672	jf 2726
(2657) unimp    0xdd             jt 2674	jf 2730
(2658) unimp    0xdd             jt 2676	jf 2734
(2659) unimp    0xdd             jt 2678	jf 2738
(2660) unimp    0xdd             jt 2680	jf 2742
(2661) unimp    0xdd             jt 2682	jf 2746
(2662) unimp    0xdd             jt 2684	jf 2750
(2663) unimp    0xdd             jt 2686	jf 2754
(2664) unimp    0xde
(2665) unimp    0xde
(2666) unimp    0xde
(2667) unimp    0xde
(2668) unimp    0xde
(2669) unimp    0xde
(2670) unimp    0xde
(2671) unimp    0xde
(2672) unimp    0xde
(2673) unimp    0xde
(2674) unimp    0xde
(2675) unimp    0xde
(2676) unimp    0xdf
(2677) unimp    0xdf
(2678) unimp    0xdf
(2679) unimp    0xdf
(2680) unimp    0xdf
(2681) unimp    0xdf
(2682) unimp    0xdf
(2683) unimp    0xdf
(2684) unimp    0xdf
(2685) unimp    0xdf
(2686) unimp    0xdf
(2687) unimp    0xdf
(2688) unimp    0xe0
(2689) unimp    0xe0
(2690) unimp    0xe0
(2691) unimp    0xe0
(2692) unimp    0xe0
(2693) unimp    0xe0
(2694) unimp    0xe0
(2695) unimp    0xe0
(2696) unimp    0xe0
(2697) unimp    0xe0
(2698) unimp    0xe0
(2699) unimp    0xe0
(2700) unimp    0xe1
(2701) unimp    0xe1
(2702) unimp    0xe1
(2703) unimp    0xe1
(2704) unimp    0xe1
(2705) unimp    0xe1
(2706) unimp    0xe1
(2707) unimp    0xe1
(2708) unimp    0xe1
(2709) unimp    0xe1
(2710) unimp    0xe1
(2711) unimp    0xe1
(2712) unimp    0xe2
(2713) unimp    0xe2
(2714) unimp    0xe2
(2715) unimp    0xe2
(2716) unimp    0xe2
(2717) unimp    0xe2
(2718) unimp    0xe2
(2719) unimp    0xe2
(2720) unimp    0xe2
(2721) unimp    0xe2
(2722) unimp    0xe2
(2723) unimp    0xe2
(2724) unimp    0xe3
(2725) unimp    0xe3
(2726) unimp    0xe3
(2727) unimp    0xe3
(2728) unimp    0xe3
(2729) unimp    0xe3
(2730) unimp    0xe3
(2731) unimp    0xe3
(2732) unimp    0xe3
(2733) unimp    0xe3
(2734) unimp    0xe3
(2735) unimp    0xe3
(2736) unimp    0xe4
(2737) unimp    0xe4
(2738) unimp    0xe4
(2739) unimp    0xe4
(2740) unimp    0xe4
(2741) unimp    0xe4
(2742) unimp    0xe4
(2743) unimp    0xe4
(2744) unimp    0xe4
(2745) unimp    0xe4
(2746) unimp    0xe4
(2747) unimp    0xe4
(2748) unimp    0xe5             jt 2816	jf 2910
(2749) unimp    0xe5             jt 2818	jf 2914
(2750) unimp    0xe5             jt 2820	jf 2918
(2751) unimp    0xe5             jt 2822	jf 2922
(2752) unimp    0xe5             jt 2824	jf 2926
(2753) unimp    0xe5             jt 2826	jf 2930
(2754) unimp    0xe5             jt 2828	jf 2934
(2755) unimp    0xe5             jt 2830	jf 2938
(2756) unimp    0xe5             jt 2832	jf 2942
(2757) unimp    0xe5             jt 2834	jf 2946
(2758) unimp    0xe5             jt 2836	jf 2950
(2759) unimp    0xe5             jt 2838	jf 2954
(2760) unimp    0xe6
(2761) unimp    0xe6
(2762) unimp    0xe6
(2763) unimp    0xe6
(2764) unimp    0xe6
(2765) unimp    0xe6
(2766) unimp    0xe6
(2767) unimp    0xe6
(2768) unimp    0xe6
(2769) unimp    0xe6
(2770) unimp    0xe6
(2771) unimp    0xe6
(2772) unimp    0xe7
(2773) unimp    0xe7
(2774) unimp    0xe7
(2775) unimp    0xe7
(2776) unimp    0xe7
(2777) unimp    0xe7
(2778) unimp    0xe7
(2779) unimp    0xe7
(2780) unimp    0xe7
(2781) unimp    0xe7
(2782) unimp    0xe7
(2783) unimp    0xe7
(2784) unimp    0xe8
(2785) unimp    0xe8
(2786) unimp    0xe8
(2787) unimp    0xe8
(2788) unimp    0xe8
(2789) unimp    0xe8
(2790) unimp    0xe8
(2791) unimp    0xe8
(2792) unimp    0xe8
(2793) unimp    0xe8
(2794) unimp    0xe8
(2795) unimp    0xe8
(2796) unimp    0xe9
(2797) unimp    0xe9
(2798) unimp    0xe9
(2799) unimp    0xe9
(2800) unimp    0xe9
(2801) unimp    0xe9
(2802) unimp    0xe9
(2803) unimp    0xe9
(2804) unimp    0xe9
(2805) unimp    0xe9
(2806) unimp    0xe9
(2807) unimp    0xe9
(2808) unimp    0xea
(2809) unimp    0xea
(2810) unimp    0xea
(2811) unimp    0xea
(2812) unimp    0xea
(2813) unimp    0xea
(2814) unimp    0xea
(2815) unimp    0xea
(2816) unimp    0xea
(2817) unimp    0xea
(2818) unimp    0xea
(2819) unimp    0xea
(2820) unimp    0xeb
(2821) unimp    0xeb
(2822) unimp    0xeb
(2823) unimp    0xeb
(2824) unimp    0xeb
(2825) unimp    0xeb
(2826) unimp    0xeb
(2827) unimp    0xeb
(2828) unimp    0xeb
(2829) unimp    0xeb
(2830) unimp    0xeb
(2831) unimp    0xeb
(2832) unimp    0xec
(2833) unimp    0xec
(2834) unimp    0xec
(2835) unimp    0xec
(2836) unimp    0xec
(2837) unimp    0xec
(2838) unimp    0xec
(2839) unimp    0xec
(2840) unimp    0xec
(2841) unimp    0xec
(2842) unimp    0xec
(2843) unimp    0xec
(2844) unimp    0xed             jt 2968	jf 2854
(2845) unimp    0xed             jt 2970	jf 2858
(2846) unimp    0xed             jt 2972	jf 2862
(2847) unimp    0xed             jt 2974	jf 2866
(2848) unimp    0xed             jt 2976	jf 2870
(2849) unimp    0xed             jt 2978	jf 2874
(2850) unimp    0xed             jt 2980	jf 2878
(2851) unimp    0xed             jt 2982	jf 2882
(2852) unimp    0xed             jt 2984	jf 2886
(2853) unimp    0xed             jt 2986	jf 2890
(2854) unimp    0xed             jt 2988	jf 2894
(2855) unimp    0xed             jt 2990	jf 2898
(2856) unimp    0xee
(2857) unimp    0xee
(2858) unimp    0xee
(2859) unimp    0xee
(2860) unimp    0xee
(2861) unimp    0xee
(2862) unimp    0xee
(2863) unimp    0xee
(2864) unimp    0xee
(2865) unimp    0xee
(2866) unimp    0xee
(2867) unimp    0xee
(2868) unimp    0xef
(2869) unimp    0xef
(2870) unimp    0xef
(2871) unimp    0xef
(2872) unimp    0xef
(2873) unimp    0xef
(2874) unimp    0xef
(2875) unimp    0xef
(2876) unimp    0xef
(2877) unimp    0xef
(2878) unimp    0xef
(2879) unimp    0xef
(2880) unimp    0xf0
(2881) unimp    0xf0
(2882) unimp    0xf0
(2883) unimp    0xf0
(2884) unimp    0xf0
(2885) unimp    0xf0
(2886) unimp    0xf0
(2887) unimp    0xf0
(2888) unimp    0xf0
(2889) unimp    0xf0
(2890) unimp    0xf0
(2891) unimp    0xf0
(2892) unimp    0xf1
(2893) unimp    0xf1
(2894) unimp    0xf1
(2895) unimp    0xf1
(2896) unimp    0xf1
(2897) unimp    0xf1
(2898) unimp    0xf1
(2899) unimp    0xf1
(2900) unimp    0xf1
(2901) unimp    0xf1
(2902) unimp    0xf1
(2903) unimp    0xf1
(2904) unimp    0xf2
(2905) unimp    0xf2
(2906) unimp    0xf2
(2907) unimp    0xf2
(2908) unimp    0xf2
(2909) unimp    0xf2
(2910) unimp    0xf2
(2911) unimp    0xf2
(2912) unimp    0xf2
(2913) unimp    0xf2
(2914) unimp    0xf2
(2915) unimp    0xf2
(2916) unimp    0xf3
(2917) unimp    0xf3
(2918) unimp    0xf3
(2919) unimp    0xf3
(2920) unimp    0xf3
(2921) unimp    0xf3
(2922) unimp    0xf3
(2923) unimp    0xf3
(2924) unimp    0xf3
(2925) unimp    0xf3
(2926) unimp    0xf3
(2927) unimp    0xf3
(2928) unimp    0xf4
(2929) unimp    0xf4
(2930) unimp    0xf4
(2931) unimp    0xf4
(2932) unimp    0xf4
(2933) unimp    0xf4
(2934) unimp    0xf4
(2935) unimp    0xf4
(2936) unimp    0xf4
(2937) unimp    0xf4
(2938) unimp    0xf4
(2939) unimp    0xf4
(2940) unimp    0xf5             jt 3120	jf 3054
(2941) unimp    0xf5             jt 3122	jf 3058
(2942) unimp    0xf5             jt 3124	jf 3062
(2943) unimp    0xf5             jt 3126	jf 3066
(2944) unimp    0xf5             jt 3128	jf 3070
(2945) unimp    0xf5             jt 3130	jf 3074
(2946) unimp    0xf5             jt 3132	jf 3078
(2947) unimp    0xf5             jt 3134	jf 3082
(2948) unimp    0xf5             jt 3136	jf 3086
(2949) unimp    0xf5             jt 3138	jf 3090
(2950) unimp    0xf5             jt 3140	jf 3094
(2951) unimp    0xf5             jt 3142	jf 3098
(2952) unimp    0xf6
(2953) unimp    0xf6
(2954) unimp    0xf6
(2955) unimp    0xf6
(2956) unimp    0xf6
(2957) unimp    0xf6
(2958) unimp    0xf6
(2959) unimp    0xf6
(2960) unimp    0xf6
(2961) unimp    0xf6
(2962) unimp    0xf6
(2963) unimp    0xf6
(2964) unimp    0xf7
(2965) unimp    0xf7
(2966) unimp    0xf7
(2967) unimp    0xf7
(2968) unimp    0xf7
(2969) unimp    0xf7
(2970) unimp    0xf7
(2971) unimp    0xf7
(2972) unimp    0xf7
(2973) unimp    0xf7
(2974) unimp    0xf7
(2975) unimp    0xf7
(2976) unimp    0xf8
(2977) unimp    0xf8
(2978) unimp    0xf8
(2979) unimp    0xf8
(2980) unimp    0xf8
(2981) unimp    0xf8
(2982) unimp    0xf8
(2983) unimp    0xf8
(2984) unimp    0xf8
(2985) unimp    0xf8
(2986) unimp    0xf8
(2987) unimp    0xf8
(2988) unimp    0xf9
(2989) unimp    0xf9
(2990) unimp    0xf9
(2991) unimp    0xf9
(2992) unimp    0xf9
(2993) unimp    0xf9
(2994) unimp    0xf9
(2995) unimp    0xf9
(2996) unimp    0xf9
(2997) unimp    0xf9
(2998) unimp    0xf9
(2999) unimp    0xf9
(3000) unimp    0xfa
(3001) unimp    0xfa
(3002) unimp    0xfa
(3003) unimp    0xfa
(3004) unimp    0xfa
(3005) unimp    0xfa
(3006) unimp    0xfa
(3007) unimp    0xfa
(3008) unimp    0xfa
(3009) unimp    0xfa
(3010) unimp    0xfa
(3011) unimp    0xfa
(3012) unimp    0xfb
(3013) unimp    0xfb
(3014) unimp    0xfb
(3015) unimp    0xfb
(3016) unimp    0xfb
(3017) unimp    0xfb
(3018) unimp    0xfb
(3019) unimp    0xfb
(3020) unimp    0xfb
(3021) unimp    0xfb
(3022) unimp    0xfb
(3023) unimp    0xfb
(3024) unimp    0xfc
(3025) unimp    0xfc
(3026) unimp    0xfc
(3027) unimp    0xfc
(3028) unimp    0xfc
(3029) unimp    0xfc
(3030) unimp    0xfc
(3031) unimp    0xfc
(3032) unimp    0xfc
(3033) unimp    0xfc
(3034) unimp    0xfc
(3035) unimp    0xfc
(3036) unimp    0xfd             jt 3272	jf 3254
(3037) unimp    0xfd             jt 3274	jf 3258
(3038) unimp    0xfd             jt 3276	jf 3262
(3039) unimp    0xfd             jt 3278	jf 3266
(3040) unimp    0xfd             jt 3280	jf 3270
(3041) unimp    0xfd             jt 3282	jf 3274
(3042) unimp    0xfd             jt 3284	jf 3278
(3043) unimp    0xfd             jt 3286	jf 3282
(3044) unimp    0xfd             jt 3288	jf 3286
(3045) unimp    0xfd             jt 3290	jf 3290
(3046) unimp    0xfd             jt 3292	jf 3294
(3047) unimp    0xfd             jt 3294	jf 3298
(3048) unimp    0xfe
(3049) unimp    0xfe
(3050) unimp    0xfe
(3051) unimp    0xfe
(3052) unimp    0xfe
(3053) unimp    0xfe
(3054) unimp    0xfe
(3055) unimp    0xfe
(3056) unimp    0xfe
(3057) unimp    0xfe
(3058) unimp    0xfe
(3059) unimp    0xfe
(3060) unimp    0xff
(3061) unimp    0xff
(3062) unimp    0xff
(3063) unimp    0xff
(3064) unimp    0xff
(3065) unimp    0xff
(3066) unimp    0xff
(3067) unimp    0xff
(3068) unimp    0xff
(3069) unimp    0xff
(3070) unimp    0xff
(3071) unimp    0xff
(3072) unimp    0x100
(3073) unimp    0x8006
(3074) unimp    0xffff
