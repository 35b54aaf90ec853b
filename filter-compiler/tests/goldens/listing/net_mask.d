(000) ldh      [12]
(001) jeq      #0x800           jt 2	jf 19
(002) ld       [26]
(003) and      #0xffff0000
(004) jeq      #0xc0a80000      jt 8	jf 5
(005) ld       [30]
(006) and      #0xffff0000
(007) jeq      #0xc0a80000      jt 8	jf 28
(008) ldb      [23]
(009) jeq      #0x84            jt 12	jf 10
(010) jeq      #0x6             jt 12	jf 11
(011) jeq      #0x11            jt 12	jf 27
(012) ldh      [20]
(013) jset     #0x1fff          jt 27	jf 14
(014) ldxb     4*([14]&0xf)
(015) ldh      [x + 14]
(016) jeq      #0x16            jt 28	jf 17
(017) ldh      [x + 16]
(018) jeq      #0x16            jt 28	jf 27
(019) jeq      #0x806           jt 21	jf 20
(020) jeq      #0x8035          jt 21	jf 28
(021) ld       [28]
(022) and      #0xffff0000
(023) jeq      #0xc0a80000      jt 27	jf 24
(024) ld       [38]
(025) and      #0xffff0000
(026) jeq      #0xc0a80000      jt 27	jf 28
(027) ret      #262144
(028) ret      #0
